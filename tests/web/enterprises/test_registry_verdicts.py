"""Figures counted from the enterprise registry feed the engine's verdicts, beside the town's own (issue 12).

000 第二部分(六): at least 20 % of above-scale enterprises have an R&D institution (the bound included).
The town reports 5 of 10; the registry's firms decide, and the town's figure is kept and shown.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from enterprises import actions
from programmes.actions import sync_programmes
from programmes.models import Programme
from regions.models import Region
from towns.actions import enrol_town, record_indicator_values
from towns.facts import facts_with_sources
from towns.models import IndicatorValue
from towns.verdicts import town_verdicts
from xiaozhen.codes import credit_code_check_char
from xiaozhen.engine import evaluate
from xiaozhen.facts import frame_from_records

POLICIES = Path(__file__).resolve().parents[3] / "policies"
HEADER = ("统一社会信用代码,企业名称,所在镇街/小镇编号,年份,规模以上,投产年份,自有用地(亩),税收(万元),增加值(万元),"
          "主营业务收入(万元),工业总产值(万元),综合能耗(吨标准煤),排放当量(吨),从业人员(人),研发经费(万元),有研发机构,高新技术企业")


def code(n: int) -> str:
    first = f"91450103MA5{n:06d}"
    return first + credit_code_check_char(first)


def registry_csv(town_code: str, *, with_rd: int, firms: int = 10, unknown_rd: bool = False, year: int = 2024) -> bytes:
    """``firms`` above-scale firms, the first ``with_rd`` with an R&D institution, two of them high-tech."""
    lines = [HEADER]
    for k in range(1, firms + 1):
        rd = "" if unknown_rd and k == firms else ("是" if k <= with_rd else "否")
        lines.append(f"{code(k)},青秀企业{k}号,{town_code},{year},是,2010,{10 + k},{20 * k},{100 * k},{400 * k},"
                     f"{450 * k},{30 * k},{k},{10 + k},{12 * k},{rd},{'是' if k > firms - 2 else '否'}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def innovation(db, tmp_path) -> Programme:
    shutil.copy(POLICIES / "guangxi-innovation-towns.yaml", tmp_path)
    report = sync_programmes(directory=tmp_path)
    assert report.ok, report.problems
    return Programme.objects.get(policy_id="guangxi-innovation-towns")


@pytest.fixture
def reporting_town(innovation, qingxiu_town, province_officer):
    """The town says 5 of its 10 above-scale firms have an R&D institution in 2024 (a pass on its own word)."""
    enrol_town(town=qingxiu_town, programme=innovation, tier="cultivation", started_on=dt.date(2021, 1, 1), category="high_tech_zone",
               by=province_officer)
    record_indicator_values(town=qingxiu_town, programme=innovation, by=province_officer, source="manual",
                            reason="自报 / the town's answer",
                            values=[{"indicator": "above_scale_enterprises", "period": "2024", "basis": "actual", "value": 10},
                                    {"indicator": "above_scale_with_rd", "period": "2024", "basis": "actual", "value": 5},
                                    {"indicator": "high_tech_enterprises", "period": "2024", "basis": "actual", "value": 4}])
    return qingxiu_town


def import_registry(county_office, town, **kw) -> None:
    actions.import_enterprises(by=county_office, county=Region.objects.get(code="450103"), file_name="2024.csv",
                               content=registry_csv(town.code, **kw))


def rd_outcome(programme, town):
    records, sources = facts_with_sources(programme=programme, basis="actual")
    frame = frame_from_records(programme.policy, records, source="test")
    verdict = evaluate(programme.policy, frame, "acceptance").town(town.code)
    outcome = next(o for o in verdict.outcomes if o.criterion_id == "acc_rd_institution_share")
    return outcome, sources.get((town.code, "2024"), {})


@pytest.mark.parametrize(("with_rd", "expected"), [(1, "fail"), (2, "pass"), (3, "pass")])
def test_the_registry_decides_the_rd_share_at_the_twenty_percent_bound_and_one_firm_either_side(
        innovation, reporting_town, county_office, with_rd, expected):
    import_registry(county_office, reporting_town, with_rd=with_rd)
    outcome, sources = rd_outcome(innovation, reporting_town)
    assert outcome.outcome == expected
    assert outcome.values["rd_institution_share"] == pytest.approx(with_rd / 10)
    assert outcome.values["above_scale_with_rd"] == with_rd
    used = sources["above_scale_with_rd"]
    assert (used.used, used.reported) == (with_rd, 5)
    assert "enterprise registry, 10 firms in 2024" in used.source and f"{with_rd} of 10 above-scale" in used.how
    assert used.reported_source == "人工录入 / Entered by hand"


def test_a_failing_registry_figure_leaves_the_towns_own_figure_stored_with_its_source(
        innovation, reporting_town, county_office):
    import_registry(county_office, reporting_town, with_rd=1)
    outcome, sources = rd_outcome(innovation, reporting_town)
    assert outcome.outcome == "fail" and sources["above_scale_with_rd"].differs
    stored = IndicatorValue.objects.get(town=reporting_town, programme=innovation, indicator_id="above_scale_with_rd")
    assert (stored.number, stored.source) == (5.0, "manual")


def test_without_the_registry_the_towns_own_figure_is_used_and_no_computed_source_is_named(innovation, reporting_town):
    outcome, sources = rd_outcome(innovation, reporting_town)
    assert outcome.outcome == "pass" and outcome.values["above_scale_with_rd"] == 5 and sources == {}


def test_an_unknown_rd_flag_on_one_firm_leaves_the_share_to_the_town_but_still_counts_the_firms(
        innovation, reporting_town, county_office):
    import_registry(county_office, reporting_town, with_rd=1, unknown_rd=True)
    outcome, sources = rd_outcome(innovation, reporting_town)
    assert outcome.values["above_scale_with_rd"] == 5 and "above_scale_with_rd" not in sources
    assert sources["above_scale_enterprises"].used == 10 and sources["high_tech_enterprises"].used == 2


def test_plans_are_not_replaced_by_registry_counts(innovation, reporting_town, county_office, province_officer):
    record_indicator_values(town=reporting_town, programme=innovation, by=province_officer, source="manual",
                            values=[{"indicator": "above_scale_with_rd", "period": "2024", "basis": "plan", "value": 6}])
    import_registry(county_office, reporting_town, with_rd=1)
    records, sources = facts_with_sources(programme=innovation, basis="plan")
    assert [r["above_scale_with_rd"] for r in records] == [6] and sources == {}


def test_the_town_page_verdict_names_the_registry_figure_it_used_and_the_towns_own(
        innovation, reporting_town, county_office, province_officer, signed_in):
    import_registry(county_office, reporting_town, with_rd=1)
    enrolment = reporting_town.enrolments.get(programme=innovation)
    enrolment.tier = "named"  # its later stage is acceptance, where 000 第二部分(六) is checked on actuals
    enrolment.save(update_fields=["tier"])
    stage = next(sv for sv in town_verdicts(reporting_town, enrolment) if sv.stage == "acceptance")
    assert next(o for o in stage.verdict.outcomes if o.criterion_id == "acc_rd_institution_share").outcome == "fail"
    assert [f.indicator for f in stage.sources] == ["above_scale_enterprises", "above_scale_with_rd",
                                                    "high_tech_enterprises"][:len(stage.sources)]
    page = signed_in(province_officer).get(f"/towns/{reporting_town.code}/").content.decode()
    assert "建立研发机构的规上企业数" in page and "1 of 10 above-scale firms have an R&amp;D institution" in page
    assert "the town reported" in page and "differs" in page


def test_an_annual_assessment_proposal_says_which_registry_figures_it_read_and_what_the_town_said(
        innovation, reporting_town, county_office, province_officer):
    from assessments.actions import start_assessment

    import_registry(county_office, reporting_town, with_rd=1)
    run = start_assessment(programme=innovation, year=2024, by=province_officer, document_number="桂创办〔2025〕1号")
    reasons = run.proposals.get(town=reporting_town).reasons
    line = next(r for r in reasons if r.startswith("建立研发机构的规上企业数"))
    assert "采用 used 1 —" in line and "enterprise registry, 10 firms in 2024" in line
    assert "小镇自报 the town reported 5 (人工录入 / Entered by hand)" in line
