"""Benchmark: importing a quarterly report of 5,000 towns × 40 indicators, with its project ledger.

No shipped programme has 40 quarterly indicators (the quarterly ones report
far fewer: Tongzhou 15, Zhejiang 30 reported, mostly yearly), so the workbook is for a
synthetic programme built in memory from the schema: 40 reported quarterly
indicators of every type (amounts with parts and a blank-is-zero part, numbers,
counts, shares, yes/no, one running total checked against the previous
quarter), and a ledger of two projects per town tied to the reported investment.

Built without timing: the template (``build_template``) filled with openpyxl.
Timed: ``read_report`` (read with python-calamine + every check, ledger
reconciliation included), and a baseline that only reads the same workbook
cell by cell with openpyxl (``load_workbook`` then iterate every cell of
both sheets, no checks). Ends with ``ratio: N`` = baseline / import.
Target: the import under 10 s.

    .venv/bin/python benchmarks/bench_import.py [--towns 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from xiaozhen.policy import Policy
from xiaozhen.reports import LEDGER_SHEET, REPORT_SHEET, LedgerLink, build_template, read_report

PERIOD = "2025Q3"
INDICATORS = 40
TARGET_SECONDS = 10.0


def synthetic_programme() -> Policy:
    """40 reported quarterly indicators: 16 amounts, 8 numbers, 8 counts, 4 shares, 4 yes/no."""
    def ind(ident: str, zh: str, en: str, unit: str, kind: str, **extra: Any) -> dict[str, Any]:
        return {"id": ident, "label": {"zh": zh, "en": en}, "unit": unit, "type": kind,
                "period": "quarter", **extra}

    indicators = [
        ind("investment", "完成投资", "Investment completed", "亿元", "amount", aggregate="sum"),
        ind("feature_investment", "特色产业投资", "Feature-industry investment", "亿元", "amount",
            aggregate="sum", part_of="investment"),
        ind("residential_investment", "住宅投资", "Residential investment", "亿元", "amount",
            aggregate="sum", part_of="investment", blank_is_zero=True),
        ind("funds_to_date", "扶持资金累计", "Support funds to date", "万元", "amount", cumulative=True),
    ]
    for n in range(12):
        indicators.append(ind(f"amount_{n}", f"金额{n}", f"Amount {n}", "万元", "amount", aggregate="sum"))
    for n in range(8):
        indicators.append(ind(f"number_{n}", f"数值{n}", f"Number {n}", "km²", "number"))
    for n in range(8):
        indicators.append(ind(f"count_{n}", f"个数{n}", f"Count {n}", "家", "count"))
    for n in range(4):
        indicators.append(ind(f"share_{n}", f"占比{n}", f"Share {n}", "share", "share"))
    for n in range(4):
        indicators.append(ind(f"flag_{n}", f"是否{n}", f"Flag {n}", "是/否", "boolean"))
    assert len(indicators) == INDICATORS
    return Policy.model_validate({
        "schema_version": 1,
        "identity": {
            "id": "bench-quarterly", "name": {"zh": "基准测试项目", "en": "Benchmark programme"},
            "short_name": {"zh": "基准", "en": "Bench"}, "issuer": {"zh": "无", "en": "none"},
            "document_number": "-", "seed": None, "source": "benchmarks/bench_import.py",
            "programme_type": "characteristic_town", "effective_from": "2025-01-01",
        },
        "indicators": indicators,
        "criteria": [{"id": "invests", "label": {"zh": "有投资", "en": "Invests"}, "stage": "annual",
                      "clause": "bench", "expr": "investment > 0"}],
        "lifecycle": {"tiers": [{"id": "creation", "label": {"zh": "创建", "en": "Creation"}, "stage": "annual"}],
                      "entry_tiers": ["creation"]},
        "reporting": {"frequency": "quarter", "clause": "bench"},
    })


LINK = LedgerLink(
    total="investment",
    parts={"feature_investment": ("feature_industry",), "residential_investment": ("residential",)},
    excluded_types=("residential", "commercial_complex"),
)


def filled_workbook(policy: Policy, towns: int, seed: int = 11) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """The template for ``towns`` towns with every cell filled; the previous quarter's running totals."""
    rng = random.Random(seed)
    names = {f"T{i:05d}": f"小镇{i:05d}" for i in range(towns)}
    previous = {t: {"funds_to_date": float(rng.randint(0, 500))} for t in names}
    wb = openpyxl.load_workbook(io.BytesIO(build_template(policy, PERIOD, names, previous, ledger=LINK)))
    ws, ledger = wb[REPORT_SHEET], wb[LEDGER_SHEET]
    ids = [c.value for c in ws[4]]
    ledger_row = 4
    for offset, town in enumerate(names):
        row = 5 + offset
        feature, residential = round(rng.uniform(0, 5), 2), round(rng.uniform(0, 1), 2)
        values: dict[str, Any] = {
            "investment": round(feature + residential, 2), "feature_investment": feature,
            "residential_investment": residential,
            "funds_to_date": previous[town]["funds_to_date"] + rng.randint(0, 50),
        }
        for col, ident in enumerate(ids[2:], start=3):
            value = values.get(ident)
            if value is None:
                kind = ident.split("_")[0]
                value = {"amount": lambda: round(rng.uniform(0, 1e4), 2), "number": lambda: round(rng.uniform(0, 9), 3),
                         "count": lambda: rng.randint(0, 300), "share": lambda: round(rng.random(), 3),
                         "flag": lambda: rng.choice(("是", "否"))}[kind]()
            ws.cell(row, col, value)
        for name, kind, amount in ((f"{town}产业园", "特色产业 Feature industry", feature),
                                   (f"{town}安置房", "住宅 Residential", residential)):
            for col, value in enumerate((town, name, kind, amount * 3, amount), start=1):
                ledger.cell(ledger_row, col, value)
            ledger_row += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), previous


def baseline(data: bytes) -> int:
    """Read every cell of both sheets with openpyxl, checking nothing."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    seen = 0
    for name in (REPORT_SHEET, LEDGER_SHEET):
        for row in wb[name].iter_rows():
            for cell in row:
                if cell.value is not None:
                    seen += 1
    return seen


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--towns", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    policy = synthetic_programme()
    start = time.perf_counter()
    data, previous = filled_workbook(policy, args.towns)
    print(f"workbook: {args.towns} towns × {INDICATORS} indicators + {2 * args.towns} ledger projects, "
          f"{len(data) / 1e6:.1f} MB, built in {time.perf_counter() - start:.1f} s (not timed)")

    import_s, upload = timed(lambda: read_report(data, policy, PERIOD, previous, ledger=LINK), args.repeat)
    if not upload.ok:
        sys.exit("import failed:\n" + upload.summary())
    assert len(upload.values) == args.towns * INDICATORS and len(upload.ledger) == 2 * args.towns
    print(f"import (read_report: calamine + every check + ledger), median of {args.repeat}: {import_s:.2f} s "
          f"→ {len(upload.values)} values, {len(upload.ledger)} ledger rows")
    base_s, cells = timed(lambda: baseline(data), args.repeat)
    print(f"baseline (openpyxl load_workbook + iterate every cell, no checks), median of {args.repeat}: "
          f"{base_s:.2f} s → {cells} cells")
    verdict = "met" if import_s < TARGET_SECONDS else "MISSED"
    print(f"target: import under {TARGET_SECONDS:.0f} s — {verdict}")
    print(f"ratio: {base_s / import_s:.1f}")


if __name__ == "__main__":
    main()
