"""Benchmark: memory and time of reading the largest workbooks the site accepts, and of refusing bombs.

Each file is written to a temporary directory, then read in a fresh Python process (so RSS is that
file's alone) by the facts reader (``read_table``) and the report reader (``read_report``), both of
which run ``xiaozhen.safefiles.check_workbook`` first. Prints the extra RSS over the process before
reading (peak, from ru_maxrss) and the seconds taken. Budget: 300 MB extra for any accepted file
(issue 10). Ends with ``ratio: N`` = 300 MB / the largest extra RSS measured.

    .venv/bin/python benchmarks/bench_readers.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.hostile import _big_part, _letters, _raw_xlsx, _sheet  # noqa: E402

BUDGET_MB = 300.0

CHILD = r"""
import json, sys, time
sys.path[:0] = [sys.argv[3] + "/src"]
from xiaozhen.facts import FactsError, read_table
from xiaozhen.policy import get_policy
from xiaozhen.reports import read_report
import polars  # imported before the baseline: the readers' own imports are not the file's cost
from python_calamine import CalamineWorkbook  # noqa
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) after the imports
base = status("VmRSS:")
start = time.perf_counter()
path, reader = sys.argv[1], sys.argv[2]
if reader == "facts":
    try:
        read_table(path)
        outcome = "read"
    except FactsError as exc:
        outcome = "refused: " + str(exc).splitlines()[-1][-90:]
else:
    result = read_report(open(path, "rb").read(), get_policy("tongzhou-towns"), "2025Q3")
    outcome = "read" if result.ok else "refused: " + result.problems[0].message_en[:90]
print(json.dumps({"extra_mb": status("VmHWM:") - base, "seconds": time.perf_counter() - start, "outcome": outcome}))
"""


def dense(rows: int, columns: int, text: bool) -> bytes:
    def cell(r: int, c: int) -> str:
        ref = f"{_letters(c)}{r}"
        if text:
            return f'<c r="{ref}" t="inlineStr"><is><t>小镇{r}-{c}</t></is></c>'
        return f'<c r="{ref}"><v>{r * c + 0.5}</v></c>'
    body = "".join(f'<row r="{r}">' + "".join(cell(r, c) for c in range(1, columns + 1)) + "</row>"
                   for r in range(1, rows + 1))
    return _raw_xlsx(_sheet(body))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="only the 1,000-column case and the bombs")
    args = parser.parse_args()
    files = {
        "1,000,000 numbers (100,000 × 10)": lambda: dense(100_000, 10, False),
        "1,000,000 text cells (100,000 × 10)": lambda: dense(100_000, 10, True),
        "1,000,000 text cells (1,000 × 1,000)": lambda: dense(1_000, 1_000, True),
        "zip bomb (101 MB of one part)": lambda: _big_part(101 * 1024 * 1024),
        "one cell at XFD1048576": lambda: _raw_xlsx(_sheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
    }
    if args.quick:
        files = {k: v for k, v in files.items() if "1,000 ×" in k or "bomb" in k or "XFD" in k}
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for label, make in files.items():
            path = Path(tmp) / "file.xlsx"
            path.write_bytes(make())
            for reader in ("facts", "report"):
                out = subprocess.run([sys.executable, "-c", CHILD, str(path), reader, str(ROOT)],
                                     capture_output=True, text=True, check=True)
                figures = json.loads(out.stdout)
                if figures["outcome"] == "read" or "refused" in figures["outcome"]:
                    worst = max(worst, figures["extra_mb"])
                print(f"{label:40} {reader:6} {path.stat().st_size / 1048576:6.1f} MB file  "
                      f"+{figures['extra_mb']:6.1f} MB RSS  {figures['seconds']:5.2f} s  {figures['outcome']}")
    print(f"largest extra RSS: {worst:.1f} MB (budget {BUDGET_MB:.0f} MB)")
    print(f"ratio: {BUDGET_MB / max(worst, 1.0):.2f}")


if __name__ == "__main__":
    main()
