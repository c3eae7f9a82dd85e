"""The web what-if (issue 9 item 11): an officer runs an assessment year under a reform, sees the towns
whose decision changes and downloads the comparison. Never published, no town changes, always audited."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assessments import actions
from assessments.models import AssessmentRun, Proposal
from assessments.selectors import ACTION_LABELS
from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from towns.facts import facts_frame
from towns.models import Enrolment, IndicatorValue, TierChange
from xiaozhen.engine import compare_assessments
from xiaozhen.policy import apply_reform, parse_reform

from .conftest import DOC

# The test programme asks 9 over three years (6 by the second); a reform asking 13 (8.67 by the
# second year) fails liuzhou (4 + 4 = 8), which the programme as it is promotes.
REFORM = "name: {zh: 三年投资下限提高到13亿元, en: Three-year minimum raised to 13}\n" \
         "parameters:\n  min_investment_3y: [{from: 2018-01-01, value: 13}]\n"
WHY = "省里研究是否提高投资门槛"


@pytest.fixture
def run(assessed, assessed_programme, province_officer):
    return actions.start_assessment(programme=assessed_programme, year=2020, by=province_officer, document_number=DOC)


def core_changes(run):
    """What the core says the reform changes, computed here from the same figures the run reads."""
    policy = run.programme_version.policy
    frame = facts_frame(programme=run.programme, version=run.programme_version, basis="actual")
    frame = frame.filter(frame["tier"].is_not_null())
    return compare_assessments(policy, apply_reform(policy, parse_reform(REFORM)), frame, run.year)


def snapshot():
    """Everything a what-if must leave alone: runs, proposals, enrolments, tier changes, figures."""
    return (
        list(AssessmentRun.objects.values().order_by("pk")), list(Proposal.objects.values().order_by("pk")),
        list(Enrolment.objects.values().order_by("pk")), list(TierChange.objects.values().order_by("pk")),
        list(IndicatorValue.objects.values().order_by("pk")),
    )


def test_a_city_reviewer_and_a_town_clerk_are_refused_the_what_if(run, nanning_reviewer, town_clerk, signed_in):
    for user in (nanning_reviewer, town_clerk):
        with pytest.raises(NotAllowed):
            actions.run_whatif(run=run, reform=REFORM, reason=WHY, by=user)
        assert signed_in(user).get(f"/assessments/runs/{run.pk}/whatif/").status_code == 403
    assert not AuditEntry.objects.filter(verb="run_whatif").exists()


def test_another_province_s_officer_is_refused_and_cannot_open_a_what_if_result(run, province_officer, hangzhou_officer, signed_in):
    entry = actions.run_whatif(run=run, reform=REFORM, reason=WHY, by=province_officer)
    client = signed_in(hangzhou_officer)
    assert client.get(f"/assessments/runs/{run.pk}/whatif/").status_code == 403
    assert client.get(f"/assessments/runs/{run.pk}/whatif/{entry.pk}/").status_code == 403
    assert client.get(f"/assessments/runs/{run.pk}/whatif/{entry.pk}.xlsx").status_code == 403


def test_the_page_and_the_xlsx_show_the_towns_the_core_says_change_with_their_numbers(run, province_officer, signed_in):
    expected = core_changes(run)
    assert expected, "the reform must change at least one town for this test to mean anything"
    client = signed_in(province_officer)
    response = client.post(f"/assessments/runs/{run.pk}/whatif/", {"reform": REFORM, "reason": WHY})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'<strong id="changed-count">{len(expected)}</strong>' in page
    for change in expected:
        assert f'data-town="{change.town_id}"' in page
        row = page.split(f'data-town="{change.town_id}"')[1].split("</tr>")[0]
        assert ACTION_LABELS[change.action_before][0] in row.split('class="after"')[0]
        assert ACTION_LABELS[change.action_after][0] in row.split('class="after"')[1]
        for criterion in change.criteria:
            assert criterion.label_zh in row
    assert "13 亿元" in page  # the reformed line, formatted with its unit
    assert "min_investment_3y" not in page.split("<table class=\"whatif\"")[1]  # labels, not identifiers

    entry = AuditEntry.objects.get(verb="run_whatif")
    book = load_workbook(io.BytesIO(client.get(f"/assessments/runs/{run.pk}/whatif/{entry.pk}.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "小镇编号 / Town code")
    body = rows[header_at + 1:]
    assert sorted({r[0] for r in body}) == sorted(c.town_id for c in expected)
    for change in expected:
        line = next(r for r in body if r[0] == change.town_id)
        assert line[2].startswith(ACTION_LABELS[change.action_before][0] + " → ")
        assert line[3].startswith(ACTION_LABELS[change.action_after][0] + " → ")
        assert {r[5].split(" / ")[0] for r in body if r[0] == change.town_id} == {c.label_zh for c in change.criteria}
    assert any("13 亿元" in (r[10] or "") for r in body)


def test_a_what_if_changes_no_town_or_result_and_leaves_one_audit_row_with_who_what_and_why(run, province_officer):
    before = snapshot()
    entry = actions.run_whatif(run=run, reform=REFORM, reason=WHY, by=province_officer)
    assert snapshot() == before
    assert not AssessmentRun.objects.get(pk=run.pk).is_published
    assert (entry.verb, entry.actor_username, entry.reason) == ("run_whatif", province_officer.username, WHY)
    assert entry.object_id == str(run.pk)
    assert entry.data["reform"] == REFORM
    assert entry.data["reform_name"]["en"] == "Three-year minimum raised to 13"
    assert entry.data["towns_changed"] == len(core_changes(run))


def test_a_published_year_can_be_weighed_too_and_stays_as_published(run, province_officer):
    actions.publish_assessment(run=run, by=province_officer)
    before = snapshot()
    actions.run_whatif(run=run, reform=REFORM, reason=WHY, by=province_officer)
    assert snapshot() == before


@pytest.mark.parametrize("reform, problem", [
    ("name: {zh: 错, en: wrong}\nparameters:\n  no_such_line: [{from: 2018-01-01, value: 1}]\n", "no_such_line"),
    ("name: {zh: 错, en: wrong}\ncriteria:\n  annual_progress: sometimes\n", "sometimes"),
    ("name: [unclosed\n", "not valid YAML"),
])
def test_a_reform_that_does_not_fit_is_refused_naming_what_and_nothing_is_recorded(run, province_officer, reform, problem):
    with pytest.raises(ActionError) as err:
        actions.run_whatif(run=run, reform=reform, reason=WHY, by=province_officer)
    assert err.value.field == "reform"
    assert any(problem in d for d in err.value.details)
    assert not AuditEntry.objects.filter(verb="run_whatif").exists()


def test_a_what_if_without_a_reason_is_refused(run, province_officer):
    with pytest.raises(ActionError) as err:
        actions.run_whatif(run=run, reform=REFORM, reason=" ", by=province_officer)
    assert err.value.field == "reason"


def test_the_run_page_links_the_what_if_for_the_officer_only(run, province_officer, nanning_reviewer, signed_in):
    assert f"/assessments/runs/{run.pk}/whatif/" in signed_in(province_officer).get(f"/assessments/runs/{run.pk}/").content.decode()
    assert f"/assessments/runs/{run.pk}/whatif/" in signed_in(province_officer).get("/assessments/").content.decode()
    page = signed_in(nanning_reviewer).get(f"/assessments/runs/{run.pk}/")
    assert page.status_code != 200 or f"/assessments/runs/{run.pk}/whatif/" not in page.content.decode()


def test_the_form_lists_each_parameter_with_its_values_formatted(run, province_officer, signed_in):
    page = signed_in(province_officer).get(f"/assessments/runs/{run.pk}/whatif/").content.decode()
    assert "<code>min_investment_3y</code>" in page  # the name a reform writes
    assert "2018-01-01: 9 亿元" in page  # the value in force, with its unit
    assert "min_investment_3y: [{from: 2018-01-01, value: 9}]" in page  # the reform to start from
