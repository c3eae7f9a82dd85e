"""Read a facts file (CSV, XLSX or JSON) into validated, typed rows.

Every problem names the file, the row as the user sees it (CSV and XLSX:
the spreadsheet row, the header being row 1; JSON: the item number) and the
column (XLSX: its letter and header, "D (investment)"). A file that cannot be
used raises FactsError and nothing is returned: no partial reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from .. import safefiles
from ..policy import Policy
from ._records import RESERVED_ALIASES, FactsError, FactsProblem, frame_from_records

#: Extensions read, and the format each one means.
FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xlsx", ".json": "json"}
#: A sheet with one of these names is read in preference to the first sheet.
PREFERRED_SHEETS = ("facts", "数据")
_TOWN_ID_HEADERS = {"town_id"} | {k for k, v in RESERVED_ALIASES.items() if v == "town_id"}
_HEADER_SEARCH_ROWS = 10


@dataclass
class RawTable:
    """Rows as read from a file, before any column is checked."""

    source: str
    records: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    column_names: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int | None = None
    unit: str = "row"


def read_facts(path: str | Path, policy: Policy) -> pl.DataFrame:
    """Read and validate a facts file for ``policy``; raise FactsError listing every problem."""
    table = read_table(path)
    return frame_from_records(
        policy,
        table.records,
        source=table.source,
        row_numbers=table.row_numbers,
        column_names=table.column_names,
        sheet=table.sheet,
        header_row=table.header_row,
        unit=table.unit,
    )


def read_table(path: str | Path) -> RawTable:
    """Read a file's rows without knowing the programme; raise FactsError if it cannot be read."""
    path = Path(path)
    shown = str(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(FORMATS))
        _fail(shown, f"不支持的文件类型 {path.suffix or '(无扩展名)'!r}，请使用 {known} / "
                     f"unsupported file type {path.suffix or '(no extension)'!r}: use {known}")
    if not path.exists():
        _fail(shown, "文件不存在 / no such file")
    if path.is_dir():
        _fail(shown, "这是一个文件夹，不是文件 / this is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        _fail(shown, f"无法读取 / cannot read: {exc.strerror or exc}")
    if not data.strip():
        _fail(shown, "文件是空的 / the file is empty")
    limits = safefiles.DEFAULT_LIMITS
    if len(data) > limits.max_bytes:
        _fail(shown, f"文件大小 {len(data) / 1048576:.1f} MB，超过上限 {limits.max_bytes // 1048576} MB / "
                     f"the file is {len(data) / 1048576:.1f} MB, over the {limits.max_bytes // 1048576} MB limit")
    if kind == "csv":
        table = _read_csv(shown, data)
    elif kind == "json":
        table = _read_json(shown, data)
    else:
        try:
            safefiles.check_workbook(data)
        except safefiles.UnsafeFile as exc:
            _fail(shown, f"{exc.zh} / {exc.en}")
        table = _read_workbook(shown, path)
    _refuse_control_characters(table)
    return table


def _refuse_control_characters(table: RawTable) -> None:
    """NUL and other control characters in any header or cell, each at its row and column."""
    problems = []
    for name, label in table.column_names.items():
        at = safefiles.find_control_character(name)
        if at is not None:
            problems.append(FactsProblem(table.source, table.header_row, label,
                                         "列名含有控制字符 / the header holds a control character", table.sheet))
    for record, row in zip(table.records, table.row_numbers, strict=True):
        for name, value in record.items():
            at = safefiles.find_control_character(value) if isinstance(value, str) else None
            if at is not None:
                code = ord(value[at or 0])
                problems.append(FactsProblem(
                    table.source, row, table.column_names.get(name, name),
                    f"含有控制字符 U+{code:04X}，请删除 / holds the control character U+{code:04X}: remove it",
                    table.sheet, table.unit))
    if problems:
        raise FactsError(problems)


def _fail(source: str, message: str, **where: Any) -> Any:
    raise FactsError([FactsProblem(source, where.get("row"), where.get("column"), message,
                                   where.get("sheet"), where.get("unit", "row"))])


# ---------------------------------------------------------------------- CSV

def _decode_text(source: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030 (a superset of GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            _fail(source, "UTF-16 编码有误 / the file says UTF-16 but is not valid UTF-16")
    if data.startswith(b"PK\x03\x04"):
        _fail(source, "这是 Excel 工作簿而不是 CSV，请将扩展名改为 .xlsx / "
                      "this is an Excel workbook, not a CSV: name it .xlsx")
    if b"\x00" in data:
        _fail(source, "不是文本 CSV 文件(含有 NUL 字节) / not a text CSV file (it contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return _fail(source, "无法识别编码(应为 UTF-8 或 GBK/GB18030) / cannot decode the file: save it as UTF-8 (or GBK/GB18030)")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(source: str, data: bytes) -> RawTable:
    text = _decode_text(source, data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    grid: list[list[Any]] = []
    try:
        for record in reader:
            grid.append(list(record))
    except csv.Error as exc:
        _fail(source, f"CSV 格式错误 / malformed CSV: {exc}", row=len(grid) + 1)
    return _from_grid(source, grid, sheet=None, letters=False)


# --------------------------------------------------------------------- XLSX

def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _read_workbook(source: str, path: Path) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        if not names:
            _fail(source, "工作簿中没有工作表 / the workbook has no sheets")
        chosen = next((n for n in names if n.strip().lower() in PREFERRED_SHEETS), names[0])
        # The area from A1 is materialised: check_workbook has already bounded it (XFD1048576 was 512 GiB).
        rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except FactsError:
        raise
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine raises its own errors and, rarely, a Rust panic
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        _fail(source, f"不是有效的 Excel 工作簿 / not a readable Excel workbook: {detail}")
    grid = [[_cell(v) for v in row] for row in rows]
    return _from_grid(source, grid, sheet=chosen, letters=True)


def _cell(value: Any) -> Any:
    """A workbook cell as the records expect it: blanks None, dates as ISO text."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


# ------------------------------------------------------------ grid → records

def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header_index(grid: Sequence[Sequence[Any]]) -> int | None:
    """The header is the first non-blank row, unless a title row sits above the one naming town_id."""
    candidates = [i for i, row in enumerate(grid) if any(not _is_blank(c) for c in row)]
    if not candidates:
        return None
    for i in candidates[:_HEADER_SEARCH_ROWS]:
        if any(isinstance(c, str) and c.strip().lower() in _TOWN_ID_HEADERS for c in grid[i]):
            return i
    return candidates[0]


def _from_grid(source: str, grid: list[list[Any]], *, sheet: str | None, letters: bool) -> RawTable:
    head = _header_index(grid)
    if head is None:
        _fail(source, "文件是空的 / the file is empty", sheet=sheet)
    assert head is not None
    table = RawTable(source=source, sheet=sheet, header_row=head + 1)
    problems: list[FactsProblem] = []
    header: list[str | None] = []
    seen: dict[str, str] = {}
    for j, cell in enumerate(grid[head]):
        letter = _column_letter(j)
        if _is_blank(cell):
            header.append(None)
            continue
        name = str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell).strip()
        label = f"{letter} ({name})" if letters else name
        if name in seen:
            problems.append(FactsProblem(source, head + 1, label, f"列名重复，与 {seen[name]} 相同 / the header repeats {seen[name]}", sheet))
            header.append(None)
            continue
        seen[name] = label
        table.column_names[name] = label
        header.append(name)
    for i in range(head + 1, len(grid)):
        row = grid[i]
        if all(_is_blank(c) for c in row):
            continue
        record: dict[str, Any] = {}
        for j, cell in enumerate(row):
            heading = header[j] if j < len(header) else None
            if heading is not None:
                record[heading] = None if _is_blank(cell) else cell
            elif not _is_blank(cell):
                where = _column_letter(j) if letters else f"{j + 1}"
                problems.append(
                    FactsProblem(source, i + 1, where, f"该单元格没有列名(标题行为第 {head + 1} 行) / this cell has no header (the header is row {head + 1})", sheet)
                )
        table.records.append(record)
        table.row_numbers.append(i + 1)
    if problems:
        raise FactsError(problems)
    if not table.records:
        _fail(source, f"只有标题行(第 {head + 1} 行)，没有数据 / only a header row (row {head + 1}), no data rows", sheet=sheet)
    return table


# --------------------------------------------------------------------- JSON

def _read_json(source: str, data: bytes) -> RawTable:
    try:
        doc = safefiles.load_json(data)
    except safefiles.UnsafeFile as exc:
        return _fail(source, f"{exc.zh} / {exc.en}")
    items = doc.get("rows") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        _fail(source, 'JSON 应为对象列表或 {"rows": [...]} / JSON must be a list of objects or {"rows": [...]}')
    assert isinstance(items, list)
    if not items:
        _fail(source, "没有数据行 / the file has no rows", unit="item")
    table = RawTable(source=source, unit="item")
    problems = [
        FactsProblem(source, n, None, f"每一项应为对象 {{...}}，而不是 {type(item).__name__} / each item must be an object {{...}}, not {type(item).__name__}", unit="item")
        for n, item in enumerate(items, start=1)
        if not isinstance(item, dict)
    ]
    if problems:
        raise FactsError(problems)
    table.records = [dict(item) for item in items]
    table.row_numbers = list(range(1, len(items) + 1))
    return table
