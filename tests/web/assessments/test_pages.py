"""The assessment pages as an officer, a town body and an auditor see them."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assessments import actions
from assessments.models import AssessmentRun

from ..readable import named_value, visible_text
from .conftest import DOC


@pytest.fixture
def run(assessed, assessed_programme, province_officer):
    return actions.start_assessment(programme=assessed_programme, year=2020, by=province_officer, document_number=DOC)


def test_the_officer_starts_a_run_from_the_page_and_lands_on_the_proposals(assessed, assessed_programme, province_officer, signed_in):
    client = signed_in(province_officer)
    page = client.get("/assessments/")
    assert assessed_programme.name_zh in page.content.decode()
    response = client.post(f"/assessments/start/{assessed_programme.policy_id}/",
                           {"year": 2020, "document_number": DOC}, follow=True)
    run = AssessmentRun.objects.get()
    assert response.redirect_chain[-1][0] == f"/assessments/runs/{run.pk}/"
    text = response.content.decode()
    assert assessed["qingxiu"].town.name_zh in text and "降格" in text and "A §4" in text
    assert "投资" in named_value(text, "cum_investment")  # the numbers behind the proposal, by their labels
    assert re.search(r" 4(\.\d+)? 亿元$", named_value(text, "cum_investment"))


def test_a_start_without_a_document_number_shows_the_error_next_to_the_field(assessed, assessed_programme, province_officer, signed_in):
    response = signed_in(province_officer).post(f"/assessments/start/{assessed_programme.policy_id}/", {"year": 2020})
    assert response.status_code == 400
    assert 'id="id_document_number_error"' in response.content.decode()
    assert not AssessmentRun.objects.exists()


def test_filtering_by_action_returns_only_those_towns_as_an_htmx_partial(run, assessed, province_officer, signed_in):
    response = signed_in(province_officer).get(f"/assessments/runs/{run.pk}/?action=demote", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text
    assert assessed["qingxiu"].town.name_zh in text
    assert assessed["liuzhou"].town.name_zh not in text


def test_an_override_without_a_reason_is_shown_next_to_the_reason_field(run, assessed, province_officer, signed_in):
    proposal = run.proposals.get(enrolment=assessed["qingxiu"])
    response = signed_in(province_officer).post(f"/assessments/proposals/{proposal.pk}/override/",
                                                {f"p{proposal.pk}-next_tier": "creation", f"p{proposal.pk}-reason": ""})
    assert response.status_code == 400
    assert f'id="id_p{proposal.pk}-reason_error"' in response.content.decode()


def test_publishing_from_the_page_shows_the_results_and_the_town_page_shows_the_change(run, assessed, province_officer, signed_in):
    client = signed_in(province_officer)
    response = client.post(f"/assessments/runs/{run.pk}/publish/", follow=True)
    assert response.redirect_chain[-1][0] == f"/assessments/results/{run.programme.policy_id}/2020/"
    town = assessed["qingxiu"].town
    page = client.get(f"/towns/{town.code}/").content.decode()
    assert "创建 Creation → 培育 Cultivation" in " ".join(visible_text(page)) and DOC in page and "A §4" in page
    assert "年度考核结果" in page


def test_the_results_export_is_a_workbook_with_one_row_per_town(run, province_officer, signed_in):
    actions.publish_assessment(run=run, by=province_officer)
    response = signed_in(province_officer).get(f"/assessments/results/{run.programme.policy_id}/2020.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == "小镇编号 / Town code"
    assert len(rows) == 3 + run.proposals.count()
    assert any(r[10] == "降格 demote" and r[12] == "A §4" for r in rows[3:])


def test_results_of_an_unpublished_year_are_not_found(run, province_officer, signed_in):
    assert signed_in(province_officer).get(f"/assessments/results/{run.programme.policy_id}/2020/").status_code == 404


def test_the_town_clerk_sees_the_published_result_of_its_own_town_only(run, assessed, province_officer, town_clerk, signed_in):
    actions.publish_assessment(run=run, by=province_officer)
    text = signed_in(town_clerk).get(f"/assessments/results/{run.programme.policy_id}/2020/").content.decode()
    assert town_clerk.town.name_zh in text
    assert assessed["liuzhou"].town.name_zh not in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_proposal_table_makes_the_same_number_of_queries_for_3_or_30_towns(
    assessed, assessed_programme, province_officer, signed_in
):
    import datetime as dt

    from tests.web.conftest import region

    from towns.actions import create_town, enrol_town

    from .conftest import figures

    client = signed_in(province_officer)
    run = actions.start_assessment(programme=assessed_programme, year=2020, by=province_officer, document_number=DOC)
    small = _queries(client, f"/assessments/runs/{run.pk}/")
    for n in range(27):
        town = create_town(by=province_officer, region=region("450103"), name_zh=f"加测小镇{n}", category="manufacturing")
        enrol_town(town=town, programme=assessed_programme, tier="creation", started_on=dt.date(2019, 1, 1), by=province_officer)
        figures(town, assessed_programme, province_officer, {2019: 3, 2020: n % 5})
    actions.rerun_assessment(run=run, by=province_officer)
    assert run.proposals.count() == 30
    assert _queries(client, f"/assessments/runs/{run.pk}/") == small


def test_the_dashboard_lists_the_draft_for_the_officer_and_the_published_result_for_the_town(
    run, province_officer, town_clerk, signed_in
):
    client = signed_in(province_officer)
    text = client.get("/").content.decode()
    assert f"/assessments/runs/{run.pk}/" in text and "草稿" in text
    assert "本小镇考核结果" not in signed_in(town_clerk).get("/").content.decode()
    actions.publish_assessment(run=run, by=province_officer)
    text = signed_in(town_clerk).get("/").content.decode()
    assert "本小镇考核结果" in text and "降格" in text
