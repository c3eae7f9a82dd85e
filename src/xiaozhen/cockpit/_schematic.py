"""A schematic grid of regions (示意图): equal cells in rows, never a drawing of real outlines.

Used when an office has not uploaded its approved 标准地图 outlines: each region is a square cell, labelled,
and its towns are spread inside it. Coordinates are abstract grid units, not longitude and latitude.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    x: float
    y: float
    size: float

    def polygon(self) -> list[list[float]]:
        gap = self.size * 0.04
        x0, y0, x1, y1 = self.x + gap, self.y + gap, self.x + self.size - gap, self.y + self.size - gap
        return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def schematic_grid(regions: list[tuple[str, str]], size: float = 10.0) -> list[Cell]:
    """One cell per (key, label), in reading order (rows top to bottom), as square as the count allows."""
    n = len(regions)
    if n == 0:
        return []
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    return [Cell(key, label, (i % cols) * size, (rows - 1 - i // cols) * size, size)
            for i, (key, label) in enumerate(regions)]


def spread_in_cell(cell: Cell, index: int, count: int) -> tuple[float, float]:
    """Where the ``index``-th of ``count`` towns sits in ``cell``: a small grid inside it, clear of the edges."""
    per_row = max(1, math.ceil(math.sqrt(count)))
    rows = max(1, math.ceil(count / per_row))
    step_x, step_y = cell.size * 0.8 / per_row, cell.size * 0.62 / rows  # the top fifth holds the label
    col, row = index % per_row, index // per_row
    return (cell.x + cell.size * 0.1 + step_x * (col + 0.5), cell.y + cell.size * 0.72 - step_y * (row + 0.5))


def label_point(cell: Cell) -> list[float]:
    """Where the cell's name is written: near its top, clear of the towns."""
    return [cell.x + cell.size / 2, cell.y + cell.size * 0.86]
