"""Who sees which project pages, the list's query count and the dashboard panels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.web.conftest import persona, region

from accounts.models import Role
from portal.errors import NotAllowed
from projects import actions
from projects.models import Contract
from towns.actions import create_town, enrol_town

from .conftest import draft

PAGES = ["projects:contract", "projects:funding", "projects:project", "projects:funding_xlsx"]


@pytest.mark.parametrize("url_name", PAGES)
def test_the_parties_and_the_auditor_see_the_projects_pages(in_force, signed_in, gd_officer, guangzhou_reviewer,
                                                             tianhe_office, gd_clerk, auditor, url_name):
    for user in (gd_officer, guangzhou_reviewer, tianhe_office, gd_clerk, auditor):
        assert signed_in(user).get(reverse(url_name, args=[in_force.pk])).status_code == 200, user.username


@pytest.mark.parametrize("url_name", PAGES)
def test_another_town_another_city_and_another_province_are_refused(in_force, signed_in, other_clerk,
                                                                     shenzhen_reviewer, province_officer, url_name):
    for user in (other_clerk, shenzhen_reviewer, province_officer):
        response = signed_in(user).get(reverse(url_name, args=[in_force.pk]))
        assert response.status_code == 403, user.username
        assert "您无权查看此项目合同" in response.content.decode()


def test_a_town_body_lists_only_its_own_contract(in_force, signed_in, gd_officer, nanshan_town, other_clerk):
    enrolment = enrol_town(town=nanshan_town, programme=in_force.programme, tier="project",
                           started_on=dt.date(2023, 6, 1), by=gd_officer)
    other = draft(enrolment, gd_officer, local_party_region=region("440300"), number="深-1")
    html = signed_in(other_clerk).get(reverse("projects:list")).content.decode()
    assert other.number in html and in_force.number not in html


def test_the_contract_page_shows_the_three_signatures_and_offers_the_town_its_own(contract, signed_in, gd_officer,
                                                                                  guangzhou_reviewer, gd_clerk):
    actions.sign_contract(contract=contract, party="province", by=gd_officer, signed_on=dt.date(2023, 12, 1))
    actions.sign_contract(contract=contract, party="local", by=guangzhou_reviewer, signed_on=dt.date(2023, 12, 2))
    html = signed_in(gd_clerk).get(reverse("projects:contract", args=[contract.pk])).content.decode()
    assert "陈处长" in html and "穗科长" in html and "2023-12-02" in html
    assert html.count("待签署") >= 1 and f'action="/projects/{contract.pk}/sign/"' in html
    response = signed_in(gd_clerk).post(reverse("projects:sign", args=[contract.pk]),
                                        {"party": "town", "signed_on": "2023-12-03"})
    assert response.status_code == 302
    assert Contract.objects.get(pk=contract.pk).state == Contract.State.SIGNED
    html = signed_in(gd_officer).get(reverse("projects:contract", args=[contract.pk])).content.decode()
    assert f'action="/projects/{contract.pk}/in-force/"' in html


def test_a_city_office_cannot_sign_for_the_town_through_the_form(contract, signed_in, guangzhou_reviewer):
    response = signed_in(guangzhou_reviewer).post(reverse("projects:sign", args=[contract.pk]),
                                                  {"party": "town", "signed_on": "2023-12-03"})
    assert response.status_code == 400
    assert not contract.signatures.exists()


def test_the_provincial_officer_drafts_a_contract_from_the_approved_towns_list(approved, signed_in, gd_officer):
    client = signed_in(gd_officer)
    html = client.get(reverse("projects:list")).content.decode()
    assert reverse("projects:draft", args=[approved.pk]) in html
    form = client.get(reverse("projects:draft", args=[approved.pk]))
    assert form.status_code == 200 and "004 §三1" in form.content.decode()
    response = client.post(reverse("projects:draft", args=[approved.pk]), {
        "local_party_region": region("440106").pk, "term_start": "2024-01-01", "provincial_amount": "300",
        "town_amount": "300", "province_duties": "甲", "local_duties": "丙", "town_duties": "乙",
        "target__platform_services": "on", "target__local_matching_to_date": "300"})
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert {t.indicator_id for t in contract.targets.all()} == {"platform_services", "local_matching_to_date"}


def test_a_draft_with_a_missing_amount_is_shown_again_with_the_field_named(approved, signed_in, gd_officer):
    response = signed_in(gd_officer).post(reverse("projects:draft", args=[approved.pk]), {
        "local_party_region": region("440106").pk, "term_start": "2024-01-01", "province_duties": "甲",
        "local_duties": "丙", "town_duties": "乙"})
    assert response.status_code == 400 and 'id="id_provincial_amount_error"' in response.content.decode()
    assert not Contract.objects.exists()


def test_a_city_reviewer_cannot_open_the_draft_form(approved, signed_in, guangzhou_reviewer):
    assert signed_in(guangzhou_reviewer).get(reverse("projects:draft", args=[approved.pk])).status_code == 403


def add_contracts(n, programme, officer):
    county = region("440106")
    for i in range(n):
        town = create_town(by=officer, region=county, name_zh=f"批量镇{Contract.objects.count()}-{i}")
        enrolment = enrol_town(town=town, programme=programme, tier="project", started_on=dt.date(2023, 1, 1),
                               by=officer)
        contract = draft(enrolment, officer, number=f"bulk-{town.code}")
        actions.sign_contract(contract=contract, party="province", by=officer, signed_on=dt.date(2023, 12, 1))


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("projects:list")).status_code == 200
    return len(ctx.captured_queries)


def test_the_contract_list_makes_as_many_queries_for_many_contracts_as_for_few(gd_programme, gd_officer, signed_in):
    client = signed_in(gd_officer)
    add_contracts(3, gd_programme, gd_officer)
    few = queries_for(client)
    add_contracts(30, gd_programme, gd_officer)
    assert Contract.objects.count() == 33
    assert queries_for(client) == few


def test_the_town_body_and_the_provincial_officer_get_a_projects_panel(in_force, signed_in, gd_officer, gd_clerk):
    actions.record_funding(contract=in_force, kind="allocation", source="provincial", amount="100",
                           on=dt.date(2024, 3, 1), document_ref="x", by=gd_officer)
    town_html = signed_in(gd_clerk).get(reverse("portal:dashboard")).content.decode()
    assert "本镇示范项目" in town_html and in_force.number in town_html and "地方配套不足" in town_html
    officer_html = signed_in(gd_officer).get(reverse("portal:dashboard")).content.decode()
    assert "示范项目(合同与配套经费)" in officer_html and "天河软件专业镇" in officer_html


def test_an_expert_with_no_assignment_sees_no_contracts(in_force, signed_in, db):
    expert = persona("zj", Role.EXPERT)
    assert in_force.number not in signed_in(expert).get(reverse("projects:list")).content.decode()


def test_the_auditor_reads_every_page_but_every_change_is_refused(in_force, signed_in, auditor, gd_clerk):
    milestone = actions.add_milestone(contract=in_force, year_no=1, title="x", planned_by=dt.date(2024, 5, 1),
                                      by=gd_clerk)
    client = signed_in(auditor)
    posts = {
        "projects:sign": {"party": "town", "signed_on": "2024-01-01"},
        "projects:in_force": {"on": "2024-01-01"},
        "projects:end": {"outcome": "terminated", "on": "2024-06-01", "reason": "x"},
        "projects:milestone_add": {"year_no": 1, "title": "y", "planned_by": "2024-06-01"},
        "projects:progress": {"year": 2024, "summary": "x"},
        "projects:acceptance": {"on": "2027-01-05"},
    }
    for url_name, data in posts.items():
        assert client.post(reverse(url_name, args=[in_force.pk]), data).status_code == 403, url_name
    done = client.post(reverse("projects:milestone_done", args=[in_force.pk, milestone.pk]), {"done_on": "2024-05-01"})
    assert done.status_code == 403
    in_force.refresh_from_db()
    assert in_force.state == Contract.State.IN_FORCE and not in_force.progress_reports.exists()


def test_only_the_provincial_officer_brings_a_signed_contract_into_force(contract, gd_officer, guangzhou_reviewer,
                                                                        gd_clerk, auditor):
    for party, user in (("province", gd_officer), ("local", guangzhou_reviewer), ("town", gd_clerk)):
        actions.sign_contract(contract=contract, party=party, by=user, signed_on=dt.date(2023, 12, 1))
    for user in (guangzhou_reviewer, gd_clerk, auditor):
        with pytest.raises(NotAllowed):
            actions.bring_contract_into_force(contract=contract, by=user)
    assert Contract.objects.get(pk=contract.pk).state == Contract.State.SIGNED
