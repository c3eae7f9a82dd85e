"""docs/per-mu.md's worked example is what the engine computes: the table in the docs is checked here."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from xiaozhen.cli._common import number
from xiaozhen.enterprises import find_method, per_mu, read_enterprises

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "per-mu.md"


def _shown(value: float | None) -> str:
    return "—" if value is None else number(round(value, 4))


def worked_table() -> str:
    """The worked example's table, as docs/per-mu.md prints it (value ÷ benchmark → score per indicator)."""
    method = find_method("zhejiang-county")
    result = per_mu(method, read_enterprises(ROOT / "examples" / "per-mu" / "worked.csv"))
    firms = result.firms.with_columns(
        pl.col("status").replace_strict({"graded": 0, "not_graded": 1, "out_of_scope": 2}, return_dtype=pl.Int8).alias("o")
    ).sort(["o", "rank", "credit_code"], nulls_last=True)
    head = ["企业 firm", *[f"{i.label.zh} ({number(i.weight)})" for i in method.indicators], "总分 total", "名次 rank", "分类 class"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for f in firms.iter_rows(named=True):
        cells = [f["name"]]
        for i in method.indicators:
            v, b, s = f[f"{i.id}__value"], f[f"{i.id}__benchmark"], f[f"{i.id}__score"]
            cells.append(f"{_shown(v)} ÷ {_shown(b)} → {_shown(s)}")
        klass = f["class"] or (f["reason"] or "").split(" ")[0]
        cells += [_shown(f["total"]), "—" if f["rank"] is None else str(f["rank"]), klass]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_the_worked_example_in_the_docs_matches_the_engine():
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"<!-- worked-example:start -->\n(.*?)\n<!-- worked-example:end -->", text, re.DOTALL)
    assert found, "docs/per-mu.md has the worked example between its markers"
    assert found.group(1).strip() == worked_table()
