"""Checks every importer runs on a file *before* reading it, so one hostile file cannot take a worker down.

A 13 KB workbook holding one cell at XFD1048576 made python-calamine allocate 512 GiB
(a sheet read from A1 with ``skip_empty_area=False`` is a dense grid of 17 billion
cells), and a 1 MB workbook inflating to 1 GiB took 2 GB of memory. Nothing here parses
XML or builds a grid: the zip's central directory is read, every part is inflated in
64 KB chunks while its real size is counted (the directory may lie), and each sheet's
``<dimension>``, ``<row r=…>`` and ``<c r=…>`` tags are scanned to find the area a
reader would materialise. A file over any limit is refused with a bilingual message
naming it, before any reader sees it.

* ``check_workbook(data, source=…)`` — an .xlsx about to be read (facts, reports).
* ``check_office_zip(data, source=…)`` — a .docx/.xlsx kept as a material (no grid).
* ``check_text(value)`` / ``find_control_character`` — text with NUL or another control
  character (PostgreSQL refuses NUL, XML and so XLSX exports refuse the others).
* ``load_json(data, source=…)`` — JSON with a depth limit, no NaN/Infinity, no control
  characters in strings.

Each raises ``UnsafeFile`` (a ``ValueError`` with ``zh``/``en``). Limits are dated data in
``Limits``; defaults are this project's, chosen by measurement (docs/hostile-files.md).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

__all__ = [
    "DEFAULT_LIMITS",
    "MATERIAL_LIMITS",
    "Limits",
    "UnsafeFile",
    "check_office_zip",
    "check_text",
    "check_workbook",
    "column_index",
    "find_control_character",
    "load_json",
]


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is read. Defaults are the project's own, not a seed's."""

    #: the file as uploaded
    max_bytes: int = 20 * 1024 * 1024
    #: all parts of the zip inflated, counted as they inflate
    max_uncompressed: int = 100 * 1024 * 1024
    #: one part's inflated size over its compressed size (Apache POI refuses above 100 too)
    max_ratio: float = 100.0
    #: the ratio is only judged for parts inflating to more than this (tiny parts compress well)
    ratio_floor: int = 1024 * 1024
    max_parts: int = 2000
    #: a sheet's area from A1 to its last cell, as a reader builds it
    max_rows: int = 100_000
    max_columns: int = 1_000
    max_cells: int = 1_000_000
    #: JSON nesting
    max_depth: int = 32


DEFAULT_LIMITS = Limits()
#: Materials are kept, not read into a grid: larger files, no sheet limits needed.
MATERIAL_LIMITS = Limits(max_uncompressed=300 * 1024 * 1024)


class UnsafeFile(ValueError):
    """A file refused before reading, with the reason in Chinese and in English."""

    def __init__(self, zh: str, en: str, *, source: str = "", malformed: bool = False, where: str = ""):
        #: True when the bytes are not the format at all (bad UTF-8, JSON syntax, NaN): HTTP 400, else 422.
        self.zh, self.en, self.source, self.malformed = zh, en, source, malformed
        #: the JSON path of the refused value (``values.investment``), when there is one
        self.where = where
        where_zh = f"文件 {source}：" if source else ""
        where_en = f"file {source}: " if source else ""
        super().__init__(f"{where_zh}{zh} / {where_en}{en}")


# ------------------------------------------------------------ control characters

#: C0 controls except tab, newline and carriage return; lone surrogates; the two non-characters
#: XML forbids. NUL breaks PostgreSQL; every one of them breaks an XLSX export.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def find_control_character(text: str) -> int | None:
    """The position of the first character no stored text may hold, or None."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def _describe(ch: str) -> str:
    return "NUL" if ch == "\x00" else f"U+{ord(ch):04X}"


def check_text(value: Any, *, where: str = "") -> None:
    """Refuse text holding NUL or another control character (tab and newlines are fine)."""
    if not isinstance(value, str):
        return
    at = find_control_character(value)
    if at is None:
        return
    ch = _describe(value[at])
    place = f"{where} " if where else ""
    raise UnsafeFile(
        f"{place}含有不能保存的字符 {ch}(控制字符或无效编码，第 {at + 1} 个字符)，请删除后重试",
        f"{place}holds {ch}, a control character or broken encoding that cannot be stored (character {at + 1}): "
        "remove it and try again",
    )


# ------------------------------------------------------------------------ zips

def _size(data: bytes | str | Path | IO[bytes]) -> int:
    if isinstance(data, bytes | bytearray):
        return len(data)
    if isinstance(data, str | Path):
        return Path(data).stat().st_size
    here = data.tell()
    data.seek(0, io.SEEK_END)
    end = data.tell()
    data.seek(here)
    return end


def _archive(data: bytes | str | Path | IO[bytes], source: str, sheets: bool) -> zipfile.ZipFile:
    try:
        if isinstance(data, bytes | bytearray):
            return zipfile.ZipFile(io.BytesIO(bytes(data)))
        if isinstance(data, str | Path):
            return zipfile.ZipFile(str(data))
        data.seek(0)
        return zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        zh, en = ("Excel 工作簿 (.xlsx)", "Excel workbook (.xlsx)") if sheets else ("Office 文件", "Office file")
        raise UnsafeFile(f"不是可读取的 {zh}(无法作为 zip 打开)",
                         f"not a readable {en}: it cannot be opened as a zip ({exc})", source=source) from exc


def _mb(n: float) -> str:
    return f"{n / 1048576:.1f} MB"


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)\b([^>]*)>")
_ROW_REF = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d+)["']""")
_DIM_REF = re.compile(rb"""\bref\s*=\s*["']([^"']*)["']""")
_AREA_END = re.compile(rb"([A-Za-z]{1,3})\$?(\d+)$")
# Regexes that start with a literal run in C at memory speed; one starting with \s or \b was 7 times slower.
_POSITIONAL = [re.compile(prefix + rb"(?=[\s/>])(?![^>]*\sr\s*=)") for prefix in (b"<c", b":c", b"<row", b":row")]
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b([^>]*)>")
# The fast path reads references written the usual way, ` r="B12"`; anything else is counted tag by tag.
_UNUSUAL_REF = (b"r='", b"r =", b"r= ", b"\tr=", b"\nr=", b"\rr=", b'r="$')
_COLUMNS_OF_WIDTH = [re.compile(rb' r="([A-Za-z]{%d})\d' % n) for n in (0, 1, 2, 3)]
_ROWS_OF_WIDTH = [re.compile(rb' r="[A-Za-z]{0,3}(\d{%d})"' % n) for n in range(8)]
_CHUNK = 64 * 1024
_MAX_TAIL = 1024 * 1024


def column_index(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class _Area:
    """The area a reader materialises from A1: last row and last column seen."""

    rows: int = 0
    columns: int = 0
    row: int = 0
    column: int = 0

    def tag(self, name: bytes, attrs: bytes) -> None:
        if name == b"row":
            found = _ROW_REF.search(attrs)
            self.row = int(found.group(1)) if found else self.row + 1
            self.column = 0
            self.rows = max(self.rows, self.row)
        elif name == b"c":
            found = _CELL_REF.search(attrs)
            if found:
                self.column = column_index(found.group(1).decode())
                self.rows = max(self.rows, int(found.group(2)))
            else:
                self.column += 1
            self.columns = max(self.columns, self.column)
        else:
            ref = _DIM_REF.search(attrs)
            end = _AREA_END.search(ref.group(1).split(b":")[-1]) if ref else None
            if end:
                self.rows = max(self.rows, int(end.group(2)))
                self.columns = max(self.columns, column_index(end.group(1).decode()))


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            yield chunk


def _check_zip(data: bytes | str | Path | IO[bytes], *, source: str, limits: Limits, sheets: bool) -> None:
    size = _size(data)
    if size > limits.max_bytes:
        raise UnsafeFile(f"文件大小 {_mb(size)}，超过上限 {_mb(limits.max_bytes)}",
                         f"the file is {_mb(size)}, over the {_mb(limits.max_bytes)} limit", source=source)
    with _archive(data, source, sheets) as archive:
        infos = archive.infolist()
        if len(infos) > limits.max_parts:
            raise UnsafeFile(f"压缩包内有 {len(infos)} 个部件，超过上限 {limits.max_parts}",
                             f"the file holds {len(infos)} parts, over the limit of {limits.max_parts}", source=source)
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_uncompressed:
            raise UnsafeFile(
                f"解压后 {_mb(declared)}，超过上限 {_mb(limits.max_uncompressed)}(疑似压缩炸弹)",
                f"it inflates to {_mb(declared)}, over the {_mb(limits.max_uncompressed)} limit (a zip bomb?)",
                source=source)
        total = 0
        for info in infos:
            total = _check_part(archive, info, total, source=source, limits=limits, sheets=sheets)


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, *, source: str, limits: Limits,
                sheets: bool) -> int:
    name = info.filename
    is_xml = name.lower().endswith((".xml", ".rels", ".vml"))
    is_sheet = sheets and name.startswith("xl/worksheets/") and name.endswith(".xml")
    area = _Area()
    inflated = 0
    head = b""
    tail = b""
    try:
        for chunk in _inflate(archive, info):
            inflated += len(chunk)
            total += len(chunk)
            if total > limits.max_uncompressed or inflated > max(info.file_size, 0) + _CHUNK:
                raise UnsafeFile(
                    f"解压后超过 {_mb(limits.max_uncompressed)}，或部件 {name} 的实际大小与目录不符(疑似压缩炸弹)",
                    f"it inflates past {_mb(limits.max_uncompressed)}, or part {name} is larger than its directory "
                    "entry says (a zip bomb?)", source=source)
            ratio = inflated / max(info.compress_size, 1)
            if inflated > limits.ratio_floor and ratio > limits.max_ratio:
                raise UnsafeFile(
                    f"部件 {name} 的压缩比超过 {limits.max_ratio:g}:1(疑似压缩炸弹)",
                    f"part {name} is compressed more than {limits.max_ratio:g} to 1 (a zip bomb?)", source=source)
            if is_xml and len(head) < 4096:
                head += chunk[: 4096 - len(head)]
                if _DTD.search(head):
                    raise UnsafeFile(
                        f"部件 {name} 含有 DTD/实体声明(可被用于“十亿笑声”攻击)，Office 文件不应含有",
                        f"part {name} declares a DTD or entities (as a billion-laughs attack does); "
                        "Office files never do", source=source)
            if is_sheet:
                tail = _scan(area, tail + chunk, name, source)
                _check_area(area, name, source, limits)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise UnsafeFile(f"部件 {name} 已损坏或无法解压", f"part {name} is damaged or cannot be inflated: {exc}",
                         source=source) from exc
    return total


def _scan(area: _Area, buffer: bytes, name: str, source: str) -> bytes:
    """Feed whole tags to ``area``; return the unfinished tail."""
    end = buffer.rfind(b">")
    if end < 0:
        if len(buffer) > _MAX_TAIL:
            raise UnsafeFile(f"工作表 {name} 格式异常(超长无标签文本)",
                             f"sheet {name} is malformed (a run of text with no tag)", source=source)
        return buffer
    whole = buffer[: end + 1]
    if not _fast_scan(area, whole):
        for match in _TAG.finditer(whole):
            area.tag(match.group(1), match.group(2))
    rest = buffer[end + 1:]
    start = rest.rfind(b"<")
    return rest[start:] if start >= 0 else b""


def _fast_scan(area: _Area, tags: bytes) -> bool:
    """The last row and column in ``tags`` by a few regex passes in C (a tag per Python call took 5 s for
    2 million cells). False, having done nothing, when a cell or row has no ``r=`` and must be counted."""
    if any(odd in tags for odd in _UNUSUAL_REF) or any(p.search(tags) for p in _POSITIONAL):
        return False
    for width in (3, 2, 1):
        letters = _COLUMNS_OF_WIDTH[width].findall(tags)
        if letters:
            last = max(letters)
            if last[:1] > b"Z":  # lower-case references: compare them one by one
                return False
            area.columns = max(area.columns, column_index(last.decode()))
            break
    for width in range(7, 0, -1):
        numbers = _ROWS_OF_WIDTH[width].findall(tags)
        if numbers:
            area.rows = max(area.rows, int(max(numbers)))
            break
    for match in _DIMENSION.finditer(tags):
        area.tag(b"dimension", match.group(1))
    area.row = area.column = 0  # only used by the positional path, which this chunk does not need
    return True


def _check_area(area: _Area, name: str, source: str, limits: Limits) -> None:
    sheet = name.rsplit("/", 1)[-1]
    if area.rows > limits.max_rows or area.columns > limits.max_columns or area.rows * area.columns > limits.max_cells:
        raise UnsafeFile(
            f"工作表 {sheet} 的范围为 {area.rows} 行 × {area.columns} 列，超过上限"
            f"({limits.max_rows} 行、{limits.max_columns} 列、共 {limits.max_cells} 个单元格)；"
            "请删除远处的空白单元格或格式",
            f"sheet {sheet} spans {area.rows} rows × {area.columns} columns, over the limits "
            f"({limits.max_rows} rows, {limits.max_columns} columns, {limits.max_cells} cells in all): "
            "delete stray cells or formatting far from the data",
            source=source)


def check_workbook(data: bytes | str | Path | IO[bytes], *, source: str = "", limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an .xlsx that is too large, a zip bomb, declares entities, or spans too many cells."""
    _check_zip(data, source=source, limits=limits, sheets=True)


def check_office_zip(data: bytes | str | Path | IO[bytes], *, source: str = "",
                     limits: Limits = MATERIAL_LIMITS) -> None:
    """Refuse a .docx/.xlsx kept as a file: too large, a zip bomb, or declaring entities."""
    _check_zip(data, source=source, limits=limits, sheets=False)


# ------------------------------------------------------------------------ JSON

def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _depth(text: str, limit: int) -> int | None:
    """The position where nesting passes ``limit`` (brackets inside strings skipped), or None."""
    depth = 0
    in_string = False
    escaped = False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return i
        elif ch in "]}":
            depth -= 1
    return None


def _shown_key(key: str) -> str:
    """A key as a message may show it: control characters and broken encoding as escapes, never raw."""
    return key if find_control_character(key) is None else ascii(key)[1:-1]


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{_shown_key(key)}" if path else _shown_key(key)
            yield where, key
            yield from _strings(item, where)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _strings(item, f"{path}[{n}]")


def load_json(data: bytes | str, *, source: str = "", limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse JSON refusing, with a message: bad UTF-8, nesting deeper than the limit, NaN and
    Infinity (not JSON, though Python accepts them), and control characters in any string."""
    if isinstance(data, bytes | bytearray):
        if len(data) > limits.max_bytes:
            raise UnsafeFile(f"内容大小 {_mb(len(data))}，超过上限 {_mb(limits.max_bytes)}",
                             f"the body is {_mb(len(data))}, over the {_mb(limits.max_bytes)} limit", source=source)
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnsafeFile(f"JSON 必须是 UTF-8 编码(第 {exc.start} 个字节有误)",
                             f"JSON must be UTF-8 (bad byte at {exc.start})", source=source, malformed=True) from exc
    else:
        text = data
    deep = _depth(text, limits.max_depth)
    if deep is not None:
        raise UnsafeFile(f"JSON 嵌套超过 {limits.max_depth} 层(第 {deep + 1} 个字符)",
                         f"JSON is nested deeper than {limits.max_depth} levels (character {deep + 1})", source=source)
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise UnsafeFile(f"JSON 格式错误，第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}",
                         f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", source=source,
                         malformed=True) from exc
    except ValueError as exc:
        raise UnsafeFile(f"JSON 中不能有 {exc}(不是有限的数字)",
                         f"{exc} is not a JSON value (not a finite number)", source=source, malformed=True) from exc
    except RecursionError as exc:
        raise UnsafeFile("JSON 嵌套过深", "JSON is nested too deeply", source=source) from exc
    for path, value in _strings(doc, ""):
        try:
            check_text(value, where=path or "JSON")
        except UnsafeFile as exc:
            raise UnsafeFile(exc.zh, exc.en, source=source, where=path) from None
    return doc
