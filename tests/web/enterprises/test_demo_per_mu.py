"""The per-mu demo looks like a county's real figures and tells one town's story."""

from __future__ import annotations

import io
import itertools
import re
from collections import defaultdict

from django.core.management import call_command

from audit.models import AuditEntry
from demo.by_app.enterprises import STORY_NAME
from enterprises.models import (
    CultivationEntry,
    EnterpriseYear,
    HighTechReward,
    PerMuObjection,
    PerMuRun,
)


def test_the_demo_firms_are_plausible_and_one_run_is_published_and_one_on_notice(db, demo_output):
    rows = list(EnterpriseYear.objects.select_related("town"))
    assert len(rows) > 150
    # tax < value added < output, R&D below revenue, every year.
    assert all(r.tax < r.value_added < r.output for r in rows)
    assert all(r.rd_spend is None or r.rd_spend < r.revenue for r in rows)
    # Output changes a few per cent a year (the story firm's new looms: a third); never the same figure twice.
    by_firm: dict[str, list[EnterpriseYear]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r.year):
        by_firm[r.credit_code].append(r)
    for years in by_firm.values():
        for a, b in itertools.pairwise(years):
            assert a.output != b.output and 0.9 < float(b.output / a.output) < 1.4
            # A firm's tax follows its output (its share drifts a few per cent), except the story firm's new looms.
            if a.name != STORY_NAME:
                assert 0.85 < float(b.tax / a.tax) / float(b.output / a.output) < 1.15, (a.name, a.year, a.tax, b.tax)
            assert a.high_tech == b.high_tech  # a certificate does not flip year by year
    # Each town's tax from the firms it had the year before grows as a county's does: a few to 20 per cent.
    for town in {r.town for r in rows}:
        mine = {code: years for code, years in by_firm.items() if years[0].town == town}
        for year in sorted({r.year for r in rows})[1:]:
            kept = [(y0, y1) for years in mine.values() for y0, y1 in itertools.pairwise(years) if y1.year == year]
            growth = sum(float(y1.tax) for _, y1 in kept) / sum(float(y0.tax) for y0, _ in kept)
            assert 0.98 < growth < 1.20, (town.name_zh, year, growth)
    # The firms' land fits a characteristic town's 0.5–1 km² of construction land (750–1,500 亩), give or take.
    land = defaultdict(float)
    for r in rows:
        if r.year == max(x.year for x in rows):
            land[r.town.name_zh] += float(r.land_owned_mu + r.land_leased_mu)
    assert all(500 < mu < 1800 for mu in land.values()), land
    assert set(PerMuRun.objects.values_list("status", flat=True)) == {"published", "notice"}
    assert PerMuObjection.objects.filter(status="open").exists() and PerMuObjection.objects.filter(status="rejected").exists()
    assert "亩均故事 per-mu story: 诸暨市织梦针纺有限公司" in demo_output
    # The story: new looms move the firm up a class, and the line says so from the two runs' own results.
    before, after = re.search(r"class ([A-D]) → ([A-D])", demo_output).groups()
    assert after < before, (before, after)
    # 001 §三(四)2: a zone's pool with dates, and one reward under the per-firm floor.
    assert CultivationEntry.objects.count() == 4 and CultivationEntry.objects.filter(exited_on__isnull=False).count() == 1
    audit = [e.data["below_floor"] for e in AuditEntry.objects.filter(verb="record_high_tech_reward")]
    assert sorted(audit) == [False, False, True]
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert EnterpriseYear.objects.count() == len(rows) and PerMuRun.objects.count() == 2
    assert HighTechReward.objects.count() == 3
