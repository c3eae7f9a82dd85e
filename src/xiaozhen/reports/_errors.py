"""Cells holding an Excel error (#DIV/0!, #REF!, …), which python-calamine reads as blank.

A blank means "unknown" in a report, so a formula that failed would pass
silently as a figure not given (python-calamine issue #105). The sheet's XML
is searched for error cells instead; a workbook without any (nearly all) costs
one substring search per sheet.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part inside the archive."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    out: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[sheet.get("name", "")] = path
    return out


class ExcelError(str):
    """An error value read from a cell ("#DIV/0!"): refused wherever a figure is expected."""


def patch_errors(rows: list[list[object]], errors: list[tuple[str, int, str]]) -> None:
    """Put each error back in the rows python-calamine read (it gave blanks)."""
    for letter, row, text in errors:
        col = 0
        for ch in letter:
            col = col * 26 + ord(ch) - 64
        while len(rows) < row:
            rows.append([])
        cells = rows[row - 1]
        if len(cells) < col:
            cells.extend([""] * (col - len(cells)))
        cells[col - 1] = ExcelError(text)


def error_cells(data: bytes | str | Path, sheets: list[str]) -> dict[str, list[tuple[str, int, str]]]:
    """For each sheet named: (column letter, row, error text) of every error cell. {} if unreadable."""
    try:
        source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else str(data)
        with zipfile.ZipFile(source) as archive:
            paths = _sheet_paths(archive)
            found: dict[str, list[tuple[str, int, str]]] = {}
            for name in sheets:
                if name not in paths:
                    continue
                xml = archive.read(paths[name])
                if b't="e"' not in xml:
                    continue
                found[name] = _errors_in(xml)
            return found
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}  # the workbook reader reports an unreadable file itself


def _errors_in(xml: bytes) -> list[tuple[str, int, str]]:
    out: list[tuple[str, int, str]] = []
    for match in _CELL.finditer(xml):
        attrs, body = match.group(1), match.group(2) or b""
        if not _ERROR_TYPE.search(attrs):
            continue
        ref = _REF.search(attrs)
        value = _VALUE.search(body)
        if ref is not None:
            text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
            out.append((ref.group(1).decode(), int(ref.group(2)), text))
    return out
