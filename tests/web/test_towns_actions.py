"""The towns actions: each changes state, checks its input, and leaves one audit row."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from regions.models import Region
from towns import actions
from towns.models import Enrolment, IndicatorValue, TierChange
from towns.workflow import EntryTierNotAllowed, TransitionNotAllowed


def test_creating_a_town_numbers_it_within_its_county_and_audits_it(province_officer):
    town = actions.create_town(by=province_officer, region=Region.objects.get(code="450103"), name_zh="甲镇")
    second = actions.create_town(by=province_officer, region=Region.objects.get(code="450103"), name_zh="乙镇")
    assert (town.code, second.code) == ("450103-001", "450103-002")
    entry = AuditEntry.objects.get(verb="create_town", object_id=str(town.pk))
    assert entry.actor == province_officer and entry.role == "provincial_officer"
    assert entry.region.code == "450103"


def test_a_city_reviewer_cannot_create_a_town_in_another_city(liuzhou_reviewer):
    with pytest.raises(NotAllowed):
        actions.create_town(by=liuzhou_reviewer, region=Region.objects.get(code="450103"), name_zh="甲镇")


def test_a_town_cannot_sit_directly_in_a_city_that_has_counties(province_officer):
    with pytest.raises(ActionError) as exc:
        actions.create_town(by=province_officer, region=Region.objects.get(code="450100"), name_zh="甲镇")
    assert exc.value.field == "region"


def test_a_town_may_sit_directly_in_a_city_without_counties(db):
    from tests.web.conftest import persona

    officer = persona("gd", "provincial_officer", region_code="440000")
    town = actions.create_town(by=officer, region=Region.objects.get(code="441900"), name_zh="虎门镇")
    assert town.region.name_zh == "东莞市"


def test_enrolling_keeps_the_programme_version_in_force(enrolment, programme):
    assert enrolment.programme_version == programme.current_version
    assert enrolment.tier == enrolment.initial_tier == "creation"
    entry = AuditEntry.objects.get(verb="enrol_town")
    assert entry.to_state == "creation" and entry.data["programme_version"] == 1


def test_enrolling_outside_the_entry_tiers_names_the_allowed_ones(programme, qingxiu_town, province_officer):
    with pytest.raises(EntryTierNotAllowed) as exc:
        actions.enrol_town(town=qingxiu_town, programme=programme, tier="named",
                           started_on=dt.date(2019, 1, 1), by=province_officer)
    assert "cultivation, creation" in exc.value.en and "培育" in exc.value.zh


def test_a_town_is_enrolled_only_once_per_programme(enrolment, programme, province_officer):
    with pytest.raises(ActionError):
        actions.enrol_town(town=enrolment.town, programme=programme, tier="cultivation",
                           started_on=dt.date(2020, 1, 1), by=province_officer)


def test_a_town_outside_the_programmes_region_cannot_be_enrolled(programme, hangzhou_town, auditor):
    from tests.web.conftest import persona

    zhejiang = persona("zj", "provincial_officer", region_code="330000")
    with pytest.raises(NotAllowed):
        actions.enrol_town(town=hangzhou_town, programme=programme, tier="creation",
                           started_on=dt.date(2019, 1, 1), by=zhejiang)


def test_a_category_the_programme_does_not_know_is_refused(programme, province_officer):
    town = actions.create_town(by=province_officer, region=Region.objects.get(code="450103"), name_zh="甲镇",
                               category="tourism")
    with pytest.raises(ActionError) as exc:
        actions.enrol_town(town=town, programme=programme, tier="creation", started_on=dt.date(2019, 1, 1),
                           by=province_officer)
    assert exc.value.field == "category"


def test_demoting_a_creation_town_records_the_decision_with_its_clause_and_version(enrolment, province_officer):
    change = actions.change_tier(enrolment=enrolment, to_tier="cultivation", by=province_officer,
                                 reason="2019年未完成进度", decision_ref="桂科〔2020〕1号",
                                 effective_on=dt.date(2020, 1, 1))
    enrolment.refresh_from_db()
    assert (enrolment.tier, enrolment.tier_since) == ("cultivation", dt.date(2020, 1, 1))
    assert (change.transition_id, change.clause, change.programme_version.number) == ("demote", "T §4", 1)
    entry = AuditEntry.objects.get(verb="change_tier")
    assert (entry.from_state, entry.to_state, entry.reason) == ("creation", "cultivation", "2019年未完成进度")
    assert entry.data["decision_ref"] == "桂科〔2020〕1号" and entry.data["clause"] == "T §4"


def test_a_move_the_policy_file_does_not_declare_is_refused_with_the_allowed_moves(enrolment, province_officer):
    actions.change_tier(enrolment=enrolment, to_tier="cultivation", by=province_officer, reason="r",
                        decision_ref="d", effective_on=dt.date(2020, 1, 1))
    with pytest.raises(TransitionNotAllowed) as exc:
        actions.change_tier(enrolment=enrolment, to_tier="named", by=province_officer, reason="r", decision_ref="d",
                            effective_on=dt.date(2021, 1, 1))
    assert "allowed: creation, exited" in exc.value.en
    assert TierChange.objects.count() == 1


def test_a_tier_change_needs_a_reason_and_a_decision_reference(enrolment, province_officer):
    with pytest.raises(ActionError) as exc:
        actions.change_tier(enrolment=enrolment, to_tier="named", by=province_officer, reason=" ", decision_ref="d")
    assert exc.value.field == "reason"
    with pytest.raises(ActionError) as exc:
        actions.change_tier(enrolment=enrolment, to_tier="named", by=province_officer, reason="r", decision_ref="")
    assert exc.value.field == "decision_ref"


def test_exiting_ends_the_enrolment_and_allows_a_new_one_later(enrolment, programme, province_officer):
    actions.change_tier(enrolment=enrolment, to_tier="exited", by=province_officer, reason="连续两年未达标",
                        decision_ref="d", effective_on=dt.date(2021, 1, 1))
    enrolment.refresh_from_db()
    assert enrolment.ended_on == dt.date(2021, 1, 1)
    with pytest.raises(ActionError):
        actions.change_tier(enrolment=enrolment, to_tier="creation", by=province_officer, reason="r", decision_ref="d")
    again = actions.enrol_town(town=enrolment.town, programme=programme, tier="cultivation",
                               started_on=dt.date(2023, 1, 1), by=province_officer)
    assert Enrolment.objects.filter(town=enrolment.town).count() == 2 and again.is_open


def test_a_change_cannot_take_effect_before_the_current_tier_began(enrolment, province_officer):
    with pytest.raises(ActionError) as exc:
        actions.change_tier(enrolment=enrolment, to_tier="named", by=province_officer, reason="r", decision_ref="d",
                            effective_on=dt.date(2018, 6, 1))
    assert exc.value.field == "effective_on"


def test_a_failed_action_leaves_no_audit_row(enrolment, province_officer):
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionNotAllowed):
        actions.change_tier(enrolment=enrolment, to_tier="creation", by=province_officer, reason="r", decision_ref="d")
    assert AuditEntry.objects.count() == before


def test_recording_indicator_values_stores_typed_values_and_audits_the_changes(programme, qingxiu_town, town_clerk):
    result = actions.record_indicator_values(
        town=qingxiu_town, programme=programme, by=town_clerk, source="quarterly_report", source_ref="QR-1",
        values=[
            {"indicator": "investment", "period": "2020", "basis": "actual", "value": "4.5"},
            {"indicator": "feature_share", "period": "2020", "basis": "actual", "value": "72%"},
            {"indicator": "has_maker_space", "period": "2021q3", "basis": "实际", "value": "是"},
        ],
    )
    assert (result.created, result.updated) == (3, 0)
    stored = {(v.indicator_id, v.period): v for v in IndicatorValue.objects.filter(town=qingxiu_town)}
    assert stored[("investment", "2020")].number == 4.5
    assert stored[("feature_share", "2020")].number == pytest.approx(0.72)
    assert stored[("has_maker_space", "2021Q3")].typed_value("boolean") is True
    entry = AuditEntry.objects.get(verb="record_indicator_values")
    assert entry.actor == town_clerk and len(entry.data["changes"]) == 3


def test_recording_the_same_value_again_changes_nothing(programme, qingxiu_town, town_clerk):
    values = [{"indicator": "investment", "period": "2020", "basis": "actual", "value": 4.5}]
    actions.record_indicator_values(town=qingxiu_town, programme=programme, by=town_clerk, source="manual", values=values)
    again = actions.record_indicator_values(town=qingxiu_town, programme=programme, by=town_clerk, source="manual",
                                            values=values)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert AuditEntry.objects.filter(verb="record_indicator_values").count() == 1


def test_a_revised_value_keeps_the_old_one_in_the_audit_trail(programme, qingxiu_town, town_clerk):
    for value in (4.5, 5.0):
        actions.record_indicator_values(town=qingxiu_town, programme=programme, by=town_clerk, source="manual",
                                        values=[{"indicator": "investment", "period": "2020", "basis": "actual",
                                                 "value": value}])
    last = AuditEntry.objects.filter(verb="record_indicator_values").first()
    assert last.data["changes"] == [{"indicator": "investment", "period": "2020", "basis": "actual",
                                     "old": 4.5, "new": 5.0, "old_source": "manual"}]


def test_a_revised_value_gets_a_new_recorded_at_and_recorder(programme, qingxiu_town, town_clerk, province_officer):
    values = [{"indicator": "investment", "period": "2020", "basis": "actual", "value": 4.5}]
    actions.record_indicator_values(town=qingxiu_town, programme=programme, by=town_clerk, source="manual", values=values)
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    IndicatorValue.objects.update(recorded_at=long_ago)
    actions.record_indicator_values(town=qingxiu_town, programme=programme, by=province_officer, source="manual",
                                    values=[{**values[0], "value": 5.0}])
    stored = IndicatorValue.objects.get()
    assert (stored.number, stored.recorded_by) == (5.0, province_officer)
    assert stored.recorded_at > long_ago


def test_a_blank_from_one_source_never_erases_another_sources_figure(programme, qingxiu_town, town_clerk):
    row = {"indicator": "investment", "period": "2020", "basis": "actual"}
    actions.record_indicator_values(town=qingxiu_town, programme=programme, by=town_clerk, source="acceptance",
                                    values=[{**row, "value": 4.5}])
    result = actions.record_indicator_values(town=qingxiu_town, programme=programme, by=town_clerk,
                                             source="quarterly_report", values=[{**row, "value": None}])
    stored = IndicatorValue.objects.get()
    assert (stored.number, stored.source, result.unchanged) == (4.5, "acceptance", 1)


def test_a_source_may_clear_its_own_figure(programme, qingxiu_town, town_clerk):
    row = {"indicator": "investment", "period": "2020Q3", "basis": "actual"}
    for value in (4.5, None):
        actions.record_indicator_values(town=qingxiu_town, programme=programme, by=town_clerk,
                                        source="quarterly_report", values=[{**row, "value": value}])
    assert IndicatorValue.objects.get().number is None


def test_bad_indicator_values_are_all_reported_and_nothing_is_stored(programme, qingxiu_town, town_clerk):
    with pytest.raises(ActionError) as exc:
        actions.record_indicator_values(
            town=qingxiu_town, programme=programme, by=town_clerk, source="manual",
            values=[
                {"indicator": "investment", "period": "2020", "basis": "actual", "value": 3},
                {"indicator": "feature_investment", "period": "2020", "basis": "actual", "value": 5},
                {"indicator": "feature_share", "period": "2021", "basis": "actual", "value": 1.4},
                {"indicator": "population", "period": "2021", "basis": "actual", "value": 1},
            ],
        )
    message = str(exc.value)
    assert len(exc.value.details) == 3
    assert "unknown indicator 'population'" in message
    assert "larger than Investment" in message
    assert "above 1" in message
    assert not IndicatorValue.objects.exists()


def test_a_town_clerk_cannot_record_values_for_another_town(programme, xixiangtang_town, town_clerk):
    with pytest.raises(NotAllowed):
        actions.record_indicator_values(town=xixiangtang_town, programme=programme, by=town_clerk, source="manual",
                                        values=[])


def test_an_enterprise_with_a_wrong_check_character_is_refused_with_the_right_one(qingxiu_town, town_clerk):
    with pytest.raises(ActionError) as exc:
        actions.register_enterprise(town=qingxiu_town, credit_code="91350100M000100Y44", name_zh="某公司", by=town_clerk)
    assert exc.value.field == "credit_code" and "'3'" in exc.value.en


def test_an_enterprise_is_registered_once(qingxiu_town, town_clerk):
    actions.register_enterprise(town=qingxiu_town, credit_code="91350100m000100y43", name_zh="某公司", by=town_clerk)
    with pytest.raises(ActionError):
        actions.register_enterprise(town=qingxiu_town, credit_code="91350100M000100Y43", name_zh="另一公司",
                                    by=town_clerk)
    assert qingxiu_town.enterprises.get().credit_code == "91350100M000100Y43"


def test_only_an_expert_can_be_assigned(qingxiu_town, province_officer, county_office):
    with pytest.raises(ActionError):
        actions.assign_expert(expert=county_office, town=qingxiu_town, by=province_officer, purpose="field_visit")


def test_a_boundary_is_stored_as_a_valid_polygon(qingxiu_town, town_clerk):
    square = {"type": "Polygon", "coordinates": [[[108.3, 22.8], [108.32, 22.8], [108.32, 22.82], [108.3, 22.82],
                                                  [108.3, 22.8]]]}
    actions.set_town_boundary(town=qingxiu_town, geojson=json.dumps({"type": "Feature", "geometry": square}),
                              by=town_clerk)
    qingxiu_town.refresh_from_db()
    assert json.loads(qingxiu_town.boundary_geojson)["type"] == "Polygon"


@pytest.mark.parametrize(
    ("geojson", "words"),
    [
        ("{not json", "line 1"),
        ('{"type": "Point", "coordinates": [108.3, 22.8]}', "Polygon or MultiPolygon"),
        ('{"type": "Polygon", "coordinates": [[[22.8, 108.3], [22.8, 108.32], [22.82, 108.32], [22.8, 108.3]]]}',
         "longitude first"),
        ('{"type": "Polygon", "coordinates": [[[108, 22], [109, 23], [109, 22], [108, 23], [108, 22]]]}',
         "self-intersecting"),
    ],
)
def test_a_bad_boundary_is_refused_with_a_reason(qingxiu_town, town_clerk, geojson, words):
    with pytest.raises(ActionError) as exc:
        actions.set_town_boundary(town=qingxiu_town, geojson=geojson, by=town_clerk)
    assert words in exc.value.en
