"""Who sees which towns, and every refusal is a bilingual 403 page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from towns.permissions import can_change_tier, can_view_town, visible_towns


def names(queryset):
    return sorted(t.name_en for t in queryset)


def test_provincial_officer_sees_every_town_of_its_province_and_none_elsewhere(towns, province_officer):
    assert names(visible_towns(province_officer)) == ["Liubei Auto Town", "Qingxiu Innovation Town",
                                                      "Xixiangtang Tech Town"]


def test_city_reviewer_sees_only_its_own_city(towns, nanning_reviewer, liuzhou_reviewer):
    assert names(visible_towns(nanning_reviewer)) == ["Qingxiu Innovation Town", "Xixiangtang Tech Town"]
    assert names(visible_towns(liuzhou_reviewer)) == ["Liubei Auto Town"]


def test_city_reviewer_never_sees_another_citys_town(towns, liuzhou_reviewer):
    assert not can_view_town(liuzhou_reviewer, towns["qingxiu"])
    assert not can_view_town(liuzhou_reviewer, towns["xixiangtang"])


def test_county_office_sees_only_its_county(towns, county_office):
    assert names(visible_towns(county_office)) == ["Qingxiu Innovation Town"]


def test_town_body_sees_only_its_own_town(towns, town_clerk):
    assert names(visible_towns(town_clerk)) == ["Qingxiu Innovation Town"]
    assert not can_view_town(town_clerk, towns["xixiangtang"])


def test_expert_sees_only_the_towns_assigned(towns, expert):
    assert names(visible_towns(expert)) == ["Liubei Auto Town"]
    assert can_view_town(expert, towns["liuzhou"])
    assert not can_view_town(expert, towns["qingxiu"])


def test_an_ended_assignment_no_longer_shows_the_town(towns, expert, province_officer):
    from towns.actions import end_expert_assignment

    assignment = expert.town_assignments.get()
    end_expert_assignment(assignment=assignment, by=province_officer, reason="done")
    assert names(visible_towns(expert)) == []


def test_a_registered_assignment_source_widens_what_an_expert_sees(towns, expert):
    from towns.models import Town
    from towns.permissions import _EXPERT_TOWN_SOURCES, register_expert_town_source

    def reviews(user):  # what a review app would register
        return Town.objects.filter(code=towns["hangzhou"].code).values("pk")

    register_expert_town_source(reviews)
    try:
        assert names(visible_towns(expert)) == ["Liubei Auto Town", "Yunqi Town"]
    finally:
        _EXPERT_TOWN_SOURCES.remove(reviews)


def test_nationwide_auditor_sees_every_town(towns, auditor):
    assert len(visible_towns(auditor)) == 4


def test_an_officer_without_a_region_sees_nothing(towns, province_officer):
    province_officer.region = None
    assert names(visible_towns(province_officer)) == []


def test_an_inactive_user_sees_nothing(towns, province_officer):
    province_officer.is_active = False
    assert names(visible_towns(province_officer)) == []


def test_only_the_programmes_deciding_role_may_change_tiers(enrolment, province_officer, nanning_reviewer,
                                                           county_office, auditor):
    # The test programme's review chain has the provincial officer publish the list.
    assert can_change_tier(province_officer, enrolment)
    assert not can_change_tier(nanning_reviewer, enrolment)
    assert not can_change_tier(county_office, enrolment)
    assert not can_change_tier(auditor, enrolment)


@pytest.mark.parametrize("who", ["liuzhou_reviewer", "town_clerk", "expert"])
def test_opening_a_town_outside_your_remit_shows_the_403_page(request, towns, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    target = towns["xixiangtang"]
    response = client.get(reverse("towns:detail", args=[target.code]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "Not allowed" in html
    assert "Traceback" not in html


def test_a_city_reviewer_opens_its_own_citys_town(towns, signed_in, nanning_reviewer):
    response = signed_in(nanning_reviewer).get(reverse("towns:detail", args=[towns["qingxiu"].code]))
    assert response.status_code == 200
    assert "青秀创新小镇" in response.content.decode()


def test_the_expert_opens_its_assigned_town(towns, signed_in, expert):
    response = signed_in(expert).get(reverse("towns:detail", args=[towns["liuzhou"].code]))
    assert response.status_code == 200


def test_the_town_list_of_a_city_reviewer_holds_only_its_city(towns, signed_in, liuzhou_reviewer):
    html = signed_in(liuzhou_reviewer).get(reverse("towns:list")).content.decode()
    assert "柳北汽车小镇" in html
    assert "青秀创新小镇" not in html and "云栖小镇" not in html


def test_the_auditor_cannot_change_a_tier(enrolment, signed_in, auditor):
    url = reverse("towns:change_tier", args=[enrolment.town.code, enrolment.pk])
    form = {f"e{enrolment.pk}-to_tier": "named", f"e{enrolment.pk}-reason": "x",
            f"e{enrolment.pk}-decision_ref": "x", f"e{enrolment.pk}-effective_on": "2020-01-01"}
    response = signed_in(auditor).post(url, form)
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.tier == "creation"


def test_the_auditor_cannot_create_a_town(db, signed_in, auditor):
    client = signed_in(auditor)
    assert client.get(reverse("towns:create")).status_code == 403
    assert client.post(reverse("towns:create"), {"name_zh": "x"}).status_code == 403


def test_the_auditor_cannot_change_anything_through_actions(enrolment, auditor, qingxiu_town, programme):
    from portal.errors import NotAllowed
    from regions.models import Region
    from towns import actions

    attempts = [
        lambda: actions.create_town(by=auditor, region=Region.objects.get(code="450103"), name_zh="x"),
        lambda: actions.change_tier(enrolment=enrolment, to_tier="named", by=auditor, reason="r", decision_ref="d"),
        lambda: actions.enrol_town(town=qingxiu_town, programme=programme, tier="creation",
                                   started_on=dt.date(2020, 1, 1), by=auditor),
        lambda: actions.record_indicator_values(town=qingxiu_town, programme=programme, by=auditor, source="manual",
                                                values=[{"indicator": "investment", "period": "2020",
                                                         "basis": "actual", "value": 1}]),
        lambda: actions.register_enterprise(town=qingxiu_town, credit_code="91350100M000100Y43", name_zh="x",
                                            by=auditor),
        lambda: actions.set_town_boundary(town=qingxiu_town, geojson="", by=auditor),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed):
            attempt()


def test_a_town_clerk_cannot_see_the_audit_trail(db, signed_in, town_clerk):
    response = signed_in(town_clerk).get(reverse("audit:list"))
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(db, client):
    response = client.get(reverse("towns:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
