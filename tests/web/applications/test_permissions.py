"""Every refusal: who sees, edits, decides and downloads which application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications.actions import decide_step, save_draft, start_application
from applications.permissions import (
    can_decide_step,
    can_view_application,
    step_role_matches,
    visible_applications,
)
from portal.errors import NotAllowed
from towns.actions import assign_expert
from xiaozhen.policy import get_policy

from .conftest import good_facts


@pytest.fixture
def nanning_app(submitted, town_clerk):
    return submitted(town_clerk)


@pytest.fixture
def liuzhou_app(submitted, liuzhou_clerk):
    return submitted(liuzhou_clerk)


def test_a_town_body_sees_only_its_own_towns_applications(nanning_app, liuzhou_app, town_clerk, signed_in):
    assert list(visible_applications(town_clerk)) == [nanning_app]
    client = signed_in(town_clerk)
    assert client.get(reverse("applications:detail", args=[liuzhou_app.pk])).status_code == 403
    html = client.get(reverse("applications:list")).content.decode()
    assert nanning_app.town.name_zh in html and liuzhou_app.town.name_zh not in html


def test_a_town_body_cannot_edit_another_towns_draft(guangxi_call, liuzhou_clerk, town_clerk, signed_in):
    draft = start_application(call=guangxi_call, town=liuzhou_clerk.town, by=liuzhou_clerk)
    with pytest.raises(NotAllowed):
        save_draft(application=draft, data=good_facts(guangxi_call), by=town_clerk)
    assert signed_in(town_clerk).get(reverse("applications:edit", args=[draft.pk])).status_code == 403


def test_a_town_body_cannot_apply_for_another_town(guangxi_call, town_clerk, liuzhou_town):
    with pytest.raises(NotAllowed):
        start_application(call=guangxi_call, town=liuzhou_town, by=town_clerk)


def test_a_town_outside_the_calls_region_cannot_apply(guangxi_call, hangzhou_town):
    from tests.web.conftest import persona

    clerk = persona("hz-clerk", "town_body", town=hangzhou_town)
    with pytest.raises(NotAllowed):
        start_application(call=guangxi_call, town=hangzhou_town, by=clerk)


def test_a_submitted_application_can_no_longer_be_edited_by_its_town(nanning_app, town_clerk, signed_in):
    with pytest.raises(NotAllowed):
        save_draft(application=nanning_app, data={}, by=town_clerk)
    assert signed_in(town_clerk).get(reverse("applications:edit", args=[nanning_app.pk])).status_code == 403


def test_a_city_reviewer_sees_only_its_citys_applications(nanning_app, liuzhou_app, nanning_reviewer):
    assert list(visible_applications(nanning_reviewer)) == [nanning_app]


def test_another_citys_reviewer_is_refused(nanning_app, liuzhou_reviewer, signed_in):
    assert not can_view_application(liuzhou_reviewer, nanning_app)
    client = signed_in(liuzhou_reviewer)
    assert client.get(reverse("applications:detail", args=[nanning_app.pk])).status_code == 403
    with pytest.raises(NotAllowed):
        decide_step(application=nanning_app, step_id="city_check", outcome="pass", reason="", by=liuzhou_reviewer)
    response = client.post(reverse("applications:decide", args=[nanning_app.pk]),
                           {"step_id": "city_check", "outcome": "pass"})
    assert response.status_code == 403


def test_a_county_office_sees_its_countys_applications_only(submitted, town_clerk, xixiangtang_clerk, county_office):
    qingxiu, xixiangtang = submitted(town_clerk), submitted(xixiangtang_clerk)
    assert list(visible_applications(county_office)) == [qingxiu]
    assert not can_view_application(county_office, xixiangtang)


def test_a_county_office_cannot_decide_a_city_reviewers_step(nanning_app, county_office):
    assert not can_decide_step(county_office, nanning_app, "city_check")
    with pytest.raises(NotAllowed):
        decide_step(application=nanning_app, step_id="city_check", outcome="pass", reason="", by=county_office)


def test_officers_do_not_see_a_towns_unsubmitted_draft(guangxi_call, town_clerk, nanning_reviewer, province_officer):
    start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    assert not visible_applications(nanning_reviewer).exists()
    assert not visible_applications(province_officer).exists()


def test_an_expert_sees_nothing_unless_assigned_to_review_the_application(
    nanning_app, liuzhou_app, expert, province_officer, signed_in
):
    # The persona is assigned the Liuzhou town for a field visit, not for reviewing applications.
    assert not visible_applications(expert).exists()
    assert signed_in(expert).get(reverse("applications:detail", args=[liuzhou_app.pk])).status_code == 403
    assign_expert(expert=expert, town=liuzhou_app.town, by=province_officer, purpose="application_review",
                  programme=liuzhou_app.programme)
    assert list(visible_applications(expert)) == [liuzhou_app]
    assert not can_decide_step(expert, liuzhou_app, "city_check")


def test_an_ended_assignment_no_longer_shows_the_application(liuzhou_app, expert, province_officer):
    assign_expert(expert=expert, town=liuzhou_app.town, by=province_officer, purpose="application_review",
                  ends_on=dt.date.today() - dt.timedelta(days=1))
    assert not visible_applications(expert).exists()


def test_the_auditor_reads_but_never_decides(nanning_app, auditor, signed_in):
    client = signed_in(auditor)
    assert client.get(reverse("applications:detail", args=[nanning_app.pk])).status_code == 200
    assert not can_decide_step(auditor, nanning_app, "city_check")
    with pytest.raises(NotAllowed):
        decide_step(application=nanning_app, step_id="city_check", outcome="pass", reason="", by=auditor)
    assert client.post(reverse("applications:decide", args=[nanning_app.pk]),
                       {"step_id": "city_check", "outcome": "pass"}).status_code == 403
    assert client.get(reverse("applications:call_create")).status_code == 403


def test_an_expert_review_step_is_recorded_by_the_provincial_officer(province_officer, expert, nanning_reviewer):
    step = next(s for s in get_policy("zhejiang-towns").review_steps("application") if s.action == "expert_review")
    assert step_role_matches(province_officer, step)
    assert not step_role_matches(expert, step) and not step_role_matches(nanning_reviewer, step)


def test_materials_download_only_for_those_who_see_the_application(
    nanning_app, town_clerk, nanning_reviewer, liuzhou_reviewer, liuzhou_clerk, auditor, signed_in
):
    material = nanning_app.materials.first()
    url = reverse("applications:download", args=[nanning_app.pk, material.pk])
    for user in (town_clerk, nanning_reviewer, auditor):
        response = signed_in(user).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        assert f"{material.material_id}.pdf" in response["Content-Disposition"]
    for user in (liuzhou_reviewer, liuzhou_clerk):
        assert signed_in(user).get(url).status_code == 403


def test_materials_are_not_served_from_a_public_media_url(nanning_app, client):
    material = nanning_app.materials.first()
    assert client.get(f"/media/{material.file.name}").status_code in (302, 404)
