"""Rendering shared by the command line (and anyone else): aligned text tables, JSON, XLSX.

Tables are aligned by *display* width: a Chinese character takes two
terminal columns, so padding by ``len()`` would break every column after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from .tabular import char_width, display_width  # the width rule lives in the lower module

_TOKEN = re.compile(r"\s+|[A-Za-z0-9_.,;:=<>≥≤%()\[\]/+\-'\"]+|.", re.DOTALL)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _hard_split(token: str, width: int) -> list[str]:
    parts, current = [], ""
    for ch in token:
        if current and display_width(current) + char_width(ch) > width:
            parts.append(current)
            current = ""
        current += ch
    return [*parts, current] if current else parts


def wrap(text: str, width: int) -> list[str]:
    """Wrap to ``width`` display columns: Latin text at spaces, CJK text anywhere.

    Explicit newlines are kept; a word longer than the width is split.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for token in _TOKEN.findall(paragraph):
            if token.isspace():
                if current:
                    current += " "
                continue
            if display_width(current) + display_width(token) <= width:
                current += token
                continue
            if current.strip():
                lines.append(current.rstrip())
            pieces = _hard_split(token, width) if display_width(token) > width else [token]
            lines.extend(pieces[:-1])
            current = pieces[-1]
        lines.append(current.rstrip())
    return lines


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    max_widths: Sequence[int | None] | None = None,
    min_widths: Sequence[int] | None = None,
    indent: str = "",
    gap: str = "  ",
) -> str:
    """An aligned plain-text table; cells may hold several lines and are wrapped at ``max_widths``.

    ``min_widths`` (e.g. from ``column_widths`` over several tables) lines up
    tables printed one after another.
    """
    ncols = len(headers)
    limits = list(max_widths or []) + [None] * ncols
    cells: list[list[list[str]]] = []
    for row in [list(headers), *[list(r) for r in rows]]:
        cell_lines = []
        for j in range(ncols):
            value = row[j] if j < len(row) else ""
            text = "" if value is None else str(value)
            limit = limits[j]
            cell_lines.append(wrap(text, limit) if limit else text.split("\n"))
        cells.append(cell_lines)
    widths = [max(display_width(line) for row in cells for line in row[j]) for j in range(ncols)]
    if min_widths:
        widths = [max(w, m) for w, m in zip(widths, list(min_widths) + [0] * ncols, strict=False)]
    out: list[str] = []
    for index, row in enumerate(cells):
        height = max(len(c) for c in row)
        for k in range(height):
            parts = [pad(row[j][k] if k < len(row[j]) else "", widths[j]) for j in range(ncols)]
            out.append((indent + gap.join(parts)).rstrip())
        if index == 0:
            out.append(indent + gap.join("─" * w for w in widths))
    return "\n".join(out)


def column_widths(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], max_widths: Sequence[int | None] | None = None
) -> list[int]:
    """The widths ``render_table`` would give these rows: pass them as ``min_widths`` to align tables."""
    first = render_table(headers, rows, max_widths=max_widths, gap="\0").split("\n")[1]
    return [display_width(part) for part in first.split("\0")]


def plain(value: Any) -> Any:
    """Make a value JSON-safe: dataclasses and pydantic models become dicts, NaN becomes null."""
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="json", by_alias=True))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def to_json(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False, indent=2, allow_nan=False)


@dataclasses.dataclass
class Sheet:
    """One worksheet: a title (≤ 31 characters), bilingual headers and rows of plain values."""

    title: str
    headers: list[str]
    rows: list[list[Any]]


def write_xlsx(path: str | Path | BinaryIO, sheets: Sequence[Sheet]) -> None:
    """Write sheets through the one safe spreadsheet writer (``xiaozhen.tabular``) to a path or a binary
    file: bold frozen header, widths fitted to CJK text, wrapped long cells, text that looks like a
    formula escaped."""
    from .tabular import Table, xlsx_bytes

    data = xlsx_bytes([Table(sheet.title, sheet.headers, sheet.rows) for sheet in sheets])
    if hasattr(path, "write"):
        path.write(data)
    else:
        Path(path).write_bytes(data)
