"""Benchmark: checking a mapping of values (online form, API pushes) against reading the same workbook.

``check_values`` lays a mapping out as workbook rows and runs ``read_report``'s checks; this
times it on the synthetic 5,000 towns × 40 indicators of ``bench_import.py`` (values taken
from the filled workbook untimed, as raw cells), beside ``read_report`` on the workbook.
A platform push is one town: the per-town figure is the one that matters for the API.

    .venv/bin/python benchmarks/bench_check_values.py [--towns 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import LINK, PERIOD, filled_workbook, synthetic_programme, timed
from python_calamine import CalamineWorkbook

from xiaozhen.reports import LEDGER_SHEET, REPORT_SHEET, check_values, read_report


def as_mapping(data: bytes) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_name(REPORT_SHEET).to_python(skip_empty_area=False)
    ids = rows[3]
    values = {
        str(r[0]): {ident: r[c] for c, ident in enumerate(ids) if c > 1 and ident and r[c] != ""}
        for r in rows[4:] if r and r[0] != ""
    }
    ledger_rows = book.get_sheet_by_name(LEDGER_SHEET).to_python(skip_empty_area=False)
    header = ledger_rows[2]
    ledger = [dict(zip(header, r, strict=False)) for r in ledger_rows[3:] if r and r[0] != ""]
    return values, ledger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--towns", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    policy = synthetic_programme()
    data, previous = filled_workbook(policy, args.towns)
    values, ledger = as_mapping(data)
    read_s, upload = timed(lambda: read_report(data, policy, PERIOD, previous, ledger=LINK), args.repeat)
    check_s, checked = timed(
        lambda: check_values(values, policy, PERIOD, previous, ledger_rows=ledger, ledger=LINK), args.repeat
    )
    one = next(iter(values))
    one_ledger = [r for r in ledger if str(r["town_id"]) == one]
    single_s, _ = timed(lambda: check_values({one: values[one]}, policy, PERIOD, previous, ledger_rows=one_ledger,
                                             ledger=LINK), max(args.repeat, 20))
    assert upload.ok and checked.ok, (upload.summary(), checked.summary())
    assert sorted(upload.values) == sorted(checked.values)
    print(f"read_report (workbook), median of {args.repeat}: {read_s:.2f} s → {len(upload.values)} values")
    print(f"check_values (mapping, same figures), median of {args.repeat}: {check_s:.2f} s → {len(checked.values)} values")
    print(f"check_values for one town (an API push): {single_s * 1000:.1f} ms")


if __name__ == "__main__":
    main()
