"""The Zhejiang demo's town figures are ones an official would believe (issue 12 §6).

Only the demo steps that write them run (programmes → accounts → towns → indicator values, Zhejiang's
file only), so this stays fast; the whole demo is covered by the slow tests in test_demo.py.
"""

from __future__ import annotations

import io
import itertools
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from demo import steps as demo_steps
from demo.registry import DemoContext
from programmes.actions import sync_programmes
from programmes.models import Programme
from towns.models import IndicatorValue

POLICIES = Path(__file__).resolve().parents[2] / "policies"


@pytest.fixture
def zhejiang_demo(db, debug_on, tmp_path) -> dict[tuple[str, str, str], dict[str, float]]:
    """(town, basis, year) → the figures the demo wrote for Zhejiang's towns."""
    shutil.copy(POLICIES / "zhejiang-characteristic-towns.yaml", tmp_path)
    assert sync_programmes(directory=tmp_path).ok
    ctx = DemoContext(write=io.StringIO().write)
    ctx.programmes = {"zhejiang-towns": Programme.objects.get(policy_id="zhejiang-towns")}
    for step in (demo_steps.accounts, demo_steps.towns, demo_steps.indicator_values):
        step(ctx)
    out: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for v in IndicatorValue.objects.filter(programme__policy_id="zhejiang-towns", number__isnull=False):
        out[(v.town.code, v.basis, v.period)][v.indicator_id] = v.number
    return out


def test_the_zhejiang_demo_figures_hold_together_sit_in_published_ranges_and_grow_plausibly(zhejiang_demo):
    tax_below_value_added_below_output_and_parts_within_their_whole(zhejiang_demo)
    per_mu_and_per_head_figures_in_the_ranges_zhejiang_counties_publish(zhejiang_demo)
    actual_figures_grow_plausibly_and_never_repeat(zhejiang_demo)


def tax_below_value_added_below_output_and_parts_within_their_whole(zhejiang_demo):
    rows = [r for r in zhejiang_demo.values() if "tax" in r]
    assert len(rows) > 20
    for r in rows:
        assert 0 < r["tax"] < r["value_added"] < r["output"], r
        assert r["rd_expenditure"] < 0.06 * r["main_revenue"], r
        assert r.get("feature_output", 0) <= r["output"] and r["construction_area_km2"] <= r["planned_area_km2"]
        assert 0.8 < r["main_revenue"] / r["output"] < 1.25


def per_mu_and_per_head_figures_in_the_ranges_zhejiang_counties_publish(zhejiang_demo):
    for r in (r for r in zhejiang_demo.values() if "tax" in r):
        mu = r["construction_area_km2"] * 1500
        assert 300 < mu < 1600  # about 1 km² of construction land a town (002)
        assert 10 < r["tax"] * 10_000 / mu < 75  # 亩均税收 万元/亩; 002's benchmark is 50
        assert 50 < r["value_added"] * 10_000 / mu < 650  # 亩均增加值 万元/亩
        assert 15 < r["value_added"] * 10_000 / r["employees"] < 55  # 全员劳动生产率 万元/人
        assert 2 < r["value_added"] * 10_000 / r["energy_consumption"] < 10  # 万元 per 吨标准煤
        assert 0.01 < r["rd_expenditure"] / r["main_revenue"] < 0.05  # R&D intensity


def actual_figures_grow_plausibly_and_never_repeat(zhejiang_demo):
    series: dict[str, list[tuple[str, dict[str, float]]]] = defaultdict(list)
    for (town, basis, year), r in sorted(zhejiang_demo.items()):
        if basis == "actual" and "output" in r:
            series[town].append((year, r))
    pairs = [(a, b) for years in series.values() for (_, a), (_, b) in itertools.pairwise(years)]
    assert len(pairs) >= 8
    for a, b in pairs:
        assert -0.1 < b["output"] / a["output"] - 1 < 0.2 and b["output"] != a["output"]
        assert b["tax"] != a["tax"]
