"""The one writer of spreadsheets (XLSX and CSV) for every export: the command line and every web download.

Text from people — a town's name, a ledger project, an audit reason — can begin with ``=``,
and a spreadsheet program runs it as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``).
Every text cell goes through ``safe_value``, which follows the OWASP rule for CSV injection:
text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
single quote, so it is shown as the text it is. Real numbers (negative ones too) stay numbers;
only text is escaped. Control characters XML cannot hold are dropped, so no stored text can
make an export fail.

Tables are written with openpyxl's write-only mode (rows streamed, bounded memory) and
``csv`` with a BOM (so Excel reads Chinese). A table is a title (the sheet name), columns
(a bilingual label each, optionally a key for dict rows, a number format, a width), rows
(sequences or dicts), and optional lines above the header::

    table = Table("ledger 台账", [Column.bi("金额", "Amount", key="amount", number_format="#,##0.00")],
                  rows=[{"amount": -3.5}], preamble=[["合同 / Contract", "HT-1"]])
    data = xlsx_bytes([table])
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import decimal
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(char_width(ch) for ch in text)


__all__ = [
    "FORMULA_TRIGGERS",
    "Column",
    "Table",
    "csv_bytes",
    "csv_lines",
    "safe_text",
    "safe_value",
    "sheet_title",
    "write_xlsx",
    "xlsx_bytes",
]

#: The first characters that make a spreadsheet program read text as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it, never as a formula: a leading ' when it starts with a trigger."""
    text = _ILLEGAL.sub("", text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_value(value: Any) -> Any:
    """A cell value: numbers, dates and blanks as they are (NaN and infinity blank), everything else safe text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone().replace(tzinfo=None)
    if isinstance(value, dt.date | dt.time):
        return value
    if isinstance(value, list | tuple):
        return safe_text("\n".join("" if v is None else str(v) for v in value))
    return safe_text(str(value))


def sheet_title(title: str) -> str:
    """A title Excel accepts as a sheet name: at most 31 characters, none of []:*?/\\."""
    return _SHEET_BAD.sub("_", title)[:31] or "Sheet"


@dataclasses.dataclass(frozen=True)
class Column:
    """A column: its header label, the key of dict rows, a number format (e.g. ``"#,##0.00"``), a width."""

    label: str
    key: str | None = None
    number_format: str | None = None
    width: int | None = None

    @classmethod
    def bi(cls, zh: str, en: str, key: str | None = None, **kwargs: Any) -> Column:
        """A bilingual header, Chinese first: ``名称 / Name``."""
        return cls(f"{zh} / {en}", key, **kwargs)


@dataclasses.dataclass
class Table:
    """One sheet (or one CSV): title, columns, rows of sequences or dicts, lines above the header."""

    title: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence[Any] | Mapping[str, Any]]
    preamble: Sequence[Sequence[Any]] = ()
    header: bool = True

    def cols(self) -> list[Column]:
        return [c if isinstance(c, Column) else Column(c) for c in self.columns]

    def lines(self) -> Iterator[list[Any]]:
        """Every row as a list of safe values, in column order."""
        cols = self.cols()
        for row in self.rows:
            if isinstance(row, Mapping):
                yield [safe_value(row.get(c.key or c.label)) for c in cols]
            else:
                yield [safe_value(v) for v in row]


# ------------------------------------------------------------------------ XLSX

def _widths(table: Table, cols: list[Column]) -> list[int]:
    """Widths fitted to CJK text when the rows are a list (all known), else to the header."""
    widths = [c.width or max(display_width(line) for line in (c.label or " ").split("\n")) + 2 for c in cols]
    if isinstance(table.rows, list):
        for line in Table(table.title, cols, table.rows).lines():
            for j, value in enumerate(line[: len(cols)]):
                if cols[j].width is None and value is not None:
                    text = value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
                    widest = max(display_width(part) for part in text.split("\n"))
                    widths[j] = max(widths[j], min(_MAX_WIDTH, widest + 2))
    return widths


def _write_sheet(book: Any, table: Table) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(sheet_title(table.title))
    cols = table.cols()
    for j, width in enumerate(_widths(table, cols), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    if table.header:  # before the first row: write-only sheets write their views with it
        ws.freeze_panes = f"A{len(table.preamble) + 2}"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in table.preamble:
        ws.append([_styled(ws, safe_value(v), bold if j == 0 else None, None) for j, v in enumerate(line)])
    if table.header:
        ws.append([_styled(ws, safe_value(c.label), bold, None) for c in cols])
    formats = [c.number_format for c in cols]
    needs_cells = any(formats)
    for line in table.lines():
        if not needs_cells and not any(isinstance(v, str) and ("\n" in v or len(v) > _MAX_WIDTH) for v in line):
            ws.append(line)
            continue
        row = []
        for j, value in enumerate(line):
            cell = WriteOnlyCell(ws, value=value)
            shown = formats[j] if j < len(formats) else None
            if shown and isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = shown
            if isinstance(value, str) and ("\n" in value or display_width(value) > _MAX_WIDTH):
                cell.alignment = wrap
            row.append(cell)
        ws.append(row)


def _styled(ws: Any, value: Any, font: Any, alignment: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def xlsx_bytes(tables: Iterable[Table]) -> bytes:
    """The workbook, one sheet per table."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for table in tables:
        _write_sheet(book, table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_xlsx(path: str | Path, tables: Iterable[Table]) -> None:
    Path(path).write_bytes(xlsx_bytes(tables))


# ------------------------------------------------------------------------- CSV

class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_text(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return "" if value is None else value


def csv_lines(table: Table, *, bom: bool = True, lineterminator: str = "\r\n") -> Iterator[str]:
    """The table as CSV lines, streamed (for a StreamingHttpResponse); the first carries a BOM for Excel.

    Lines end in CRLF (RFC 4180); the command line passes ``lineterminator="\\n"`` for a terminal."""
    writer = csv.writer(_Echo(), lineterminator=lineterminator)
    first = "\ufeff" if bom else ""
    for line in table.preamble:
        yield first + writer.writerow([_csv_text(safe_value(v)) for v in line])
        first = ""
    if table.header:
        yield first + writer.writerow([_csv_text(safe_value(c.label)) for c in table.cols()])
        first = ""
    for row in table.lines():
        yield first + writer.writerow([_csv_text(v) for v in row])
        first = ""


def csv_bytes(table: Table, *, bom: bool = True, lineterminator: str = "\r\n") -> bytes:
    return "".join(csv_lines(table, bom=bom, lineterminator=lineterminator)).encode("utf-8")
