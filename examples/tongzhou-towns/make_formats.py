"""Write application.xlsx and application.json with the same content as application.csv.

Run from the repository root:  .venv/bin/python examples/tongzhou-towns/make_formats.py
The XLSX keeps numbers as numbers and the sheet is named 数据 (the readers
prefer a sheet named facts or 数据); the JSON is {"rows": [...]} with blank
cells left out, numbers as numbers and 是/否 as true/false.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
BOOLEANS = {"是": True, "否": False}
TEXT_COLUMNS = {"town_id", "town_name", "category", "sub_sector", "region_code", "period", "basis", "tier"}


def typed(column: str, text: str) -> Any:
    """A CSV cell as a spreadsheet or JSON would hold it."""
    if text == "" or column in TEXT_COLUMNS:
        return text or None
    if text in BOOLEANS:
        return BOOLEANS[text]
    number = float(text)
    return int(number) if number.is_integer() else number


def read_csv(path: Path) -> tuple[list[str], list[list[Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    return header, [[typed(col, cell) for col, cell in zip(header, row, strict=True)] for row in rows[1:] if row]


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "数据"
    sheet.append(header)
    for row in rows:
        # Booleans stay 是/否 in the workbook, as officials type them.
        sheet.append(["是" if v is True else "否" if v is False else v for v in row])
    fixed = dt.datetime(2020, 1, 1)  # a fixed timestamp keeps the file identical between runs
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.save(path)


def write_json(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    items = [{col: v for col, v in zip(header, row, strict=True) if v is not None} for row in rows]
    lines = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in items)
    path.write_text('{"rows": [\n' + lines + "\n]}\n", encoding="utf-8")


def main(stem: str = "application") -> None:
    header, rows = read_csv(HERE / f"{stem}.csv")
    write_xlsx(HERE / f"{stem}.xlsx", header, rows)
    write_json(HERE / f"{stem}.json", header, rows)


if __name__ == "__main__":
    main(*sys.argv[1:])
