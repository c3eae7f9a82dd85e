"""Indicator values and tier histories in the database feed the core engine unchanged."""

from __future__ import annotations

import datetime as dt

from towns.actions import change_tier, record_indicator_values
from towns.facts import facts_frame, facts_records
from towns.verdicts import town_verdicts
from xiaozhen.engine import assess


def values(period, basis, investment, **more):
    rows = [{"indicator": "investment", "period": period, "basis": basis, "value": investment}]
    rows += [{"indicator": k, "period": period, "basis": basis, "value": v} for k, v in more.items()]
    return rows


def test_each_year_carries_the_tier_held_at_its_end(enrolment, programme, province_officer):
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="manual",
                            values=values("2019", "actual", 2) + values("2020", "actual", 3))
    change_tier(enrolment=enrolment, to_tier="cultivation", by=province_officer, reason="r", decision_ref="d",
                effective_on=dt.date(2020, 1, 1))
    tiers = {r["period"]: r["tier"] for r in facts_records(programme=programme)}
    assert tiers == {"2019": "creation", "2020": "cultivation"}


def test_the_engine_proposes_the_demotion_the_database_history_implies(enrolment, programme, province_officer):
    # 10 亿元 over three years → a third (3.33) by the end of year one; 2 falls short.
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="manual",
                            values=values("2019", "actual", 2))
    (proposal,) = assess(programme.policy, facts_frame(programme=programme), 2019)
    assert (proposal.town_id, proposal.action, proposal.next_tier) == (enrolment.town.code, "demote", "cultivation")


def test_a_whole_year_figure_replaces_that_years_quarters(enrolment, programme, province_officer):
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="quarterly_report",
                            values=values("2020Q1", "actual", 1) + values("2020Q2", "actual", 1))
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="annual_assessment",
                            values=values("2020", "actual", 5))
    frame = facts_frame(programme=programme)
    assert frame["period"].to_list() == ["2020"] and frame["investment"].to_list() == [5.0]


def test_the_town_page_verdicts_read_plans_and_actuals(enrolment, programme, province_officer):
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="application",
                            values=values("2019", "plan", 4, has_maker_space=True) + values("2020", "plan", 7))
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="manual",
                            values=values("2019", "actual", 1))
    application, annual = town_verdicts(enrolment.town, enrolment)
    assert (application.stage, application.verdict.verdict) == ("application", "pass")
    assert (annual.stage, annual.verdict.verdict, annual.verdict.period_year) == ("annual", "fail", 2019)


def test_a_whole_year_yes_no_from_acceptance_keeps_the_years_quarterly_investment(
        enrolment, programme, province_officer):
    # 2019: 1.5 + 1.5 = 3 亿元 of the 3.33 a year needs → the annual criterion fails (not unknown).
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="quarterly_report",
                            values=values("2019Q1", "actual", 1.5) + values("2019Q2", "actual", 1.5))
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="acceptance",
                            values=[{"indicator": "has_maker_space", "period": "2019", "basis": "actual",
                                     "value": True}])
    frame = facts_frame(programme=programme)
    assert frame["period"].to_list() == ["2019"]
    assert frame["investment"].to_list() == [3.0]
    assert frame["has_maker_space"].to_list() == [True]
    _, annual = town_verdicts(enrolment.town, enrolment)
    assert (annual.verdict.verdict, annual.verdict.period_year) == ("fail", 2019)


def test_a_whole_year_figure_wins_only_for_its_own_indicator(enrolment, programme, province_officer):
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="quarterly_report",
                            values=values("2020Q1", "actual", 1, feature_investment=0.5)
                            + values("2020Q2", "actual", 2, feature_investment=1))
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="annual_assessment",
                            values=values("2020", "actual", 4))
    (record,) = facts_records(programme=programme)
    assert (record["investment"], record["feature_investment"]) == (4, 1.5)


def test_a_quarter_without_a_summed_figure_leaves_the_year_unknown_not_short(enrolment, programme, province_officer):
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="quarterly_report",
                            values=values("2020Q1", "actual", 1, feature_investment=0.5) + values("2020Q2", "actual", 2))
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="acceptance",
                            values=[{"indicator": "has_maker_space", "period": "2020", "basis": "actual",
                                     "value": False}])
    (record,) = facts_records(programme=programme)
    assert (record["investment"], record["feature_investment"], record["has_maker_space"]) == (3.0, None, False)


def test_the_town_page_reuses_a_verdict_only_while_its_facts_are_the_same(
        enrolment, programme, province_officer, monkeypatch):
    import towns.verdicts as verdicts

    calls: list[str] = []
    real = verdicts.evaluate
    monkeypatch.setattr(verdicts, "evaluate", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    monkeypatch.setattr(verdicts, "_VERDICTS", verdicts.OrderedDict())
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="manual",
                            values=values("2019", "actual", 1))
    first = town_verdicts(enrolment.town, enrolment)[-1]
    evaluated = len(calls)
    again = town_verdicts(enrolment.town, enrolment)[-1]
    assert evaluated >= 1 and len(calls) == evaluated and again.verdict == first.verdict
    assert first.verdict.verdict == "fail"
    # 10 亿元 over three years → a third by the end of year one: 4 meets it, and the page says so at once.
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="manual",
                            values=values("2019", "actual", 4))
    after = town_verdicts(enrolment.town, enrolment)[-1]
    assert len(calls) > evaluated
    assert (after.verdict.verdict, after.verdict.period_year) == ("pass", 2019)
