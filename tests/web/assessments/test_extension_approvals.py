"""A town's own approved extension (002 §三(四) 经批准可适当延长) decides when it ends, not the default.

A Zhejiang creation town, extended in 2025 and 2026 (the two-year default's end), not named: without an
approval on record the 2026 assessment proposes termination; with one until 2027-06-30 it carries on.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.conftest import region

from assessments import actions
from audit.models import AuditEntry
from portal.errors import ActionError
from towns.actions import (
    change_tier,
    create_town,
    enrol_town,
    record_extension_approval,
    record_indicator_values,
)

from .conftest import DOC


@pytest.fixture
def extended(zhejiang, hangzhou_officer):
    by = hangzhou_officer
    town = create_town(by=by, region=region("330110"), name_zh="梦想小镇", category="digital_economy")
    enrolment = enrol_town(town=town, programme=zhejiang, tier="creation", started_on=dt.date(2020, 1, 1), by=by)
    change_tier(enrolment=enrolment, to_tier="creation_extended", by=by, reason="五年未命名，经批准延期",
                decision_ref="浙特镇〔2025〕3号", effective_on=dt.date(2025, 1, 1), transition_id="extend_low_medium_risk")
    base = {"investment": 10, "feature_investment": 8, "planned_investment": 10, "green_coverage": 0.3,
            "incubated_enterprises": 15, "crosses_ecological_red_line": False, "occupies_permanent_farmland": False,
            "outside_development_boundary": False, "excluded_investment": 0}
    rows = [{"indicator": k, "period": str(y), "basis": "actual", "value": v} for y in range(2020, 2027) for k, v in base.items()]
    record_indicator_values(town=town, programme=zhejiang, values=rows, by=by, source="manual")
    enrolment.refresh_from_db()
    return enrolment


def _proposal(programme, by, enrolment):
    run = actions.start_assessment(programme=programme, year=2026, by=by, document_number=DOC)
    return run.proposals.get(enrolment=enrolment)


def test_without_an_approval_the_default_two_years_end_the_extension(extended, zhejiang, hangzhou_officer):
    proposal = _proposal(zhejiang, hangzhou_officer, extended)
    assert (proposal.action, proposal.next_tier) == ("terminate", "terminated")


def test_an_approval_running_past_the_year_keeps_the_town_extended_and_is_audited(extended, zhejiang, hangzhou_officer):
    record_extension_approval(enrolment=extended, approved_on=dt.date(2025, 1, 1), approved_until=dt.date(2027, 6, 30),
                              by=hangzhou_officer, reason="疫情影响，省里批准延至2027年6月", decision_ref="浙特镇〔2025〕9号")
    entry = AuditEntry.objects.get(verb="record_extension_approval")
    assert entry.data["approved_until"] == "2027-06-30" and entry.reason.startswith("疫情影响")
    proposal = _proposal(zhejiang, hangzhou_officer, extended)
    assert (proposal.action, proposal.next_tier) == ("stay", "creation_extended")


def test_an_approval_without_a_reference_or_ending_before_it_began_is_refused(extended, hangzhou_officer):
    with pytest.raises(ActionError):
        record_extension_approval(enrolment=extended, approved_on=dt.date(2025, 1, 1), approved_until=dt.date(2027, 6, 30),
                                  by=hangzhou_officer, reason="理由", decision_ref=" ")
    with pytest.raises(ActionError):
        record_extension_approval(enrolment=extended, approved_on=dt.date(2025, 1, 1), approved_until=dt.date(2024, 12, 31),
                                  by=hangzhou_officer, reason="理由", decision_ref="浙特镇〔2025〕9号")
    assert not AuditEntry.objects.filter(verb="record_extension_approval").exists()


def test_an_officer_records_an_approval_on_the_town_page_and_a_bad_one_is_shown_back(extended, hangzhou_officer, client):
    from django.urls import reverse

    from towns.models import ExtensionApproval

    client.force_login(hangzhou_officer)
    page = client.get(reverse("towns:detail", args=[extended.town.code]))
    assert "记录延期批准" in page.content.decode()
    url = reverse("towns:record_approval", args=[extended.town.code, extended.pk])
    prefix = f"a{extended.pk}-"
    bad = client.post(url, {prefix + "approved_on": "2025-01-01", prefix + "approved_until": "2027-06-30",
                            prefix + "decision_ref": "", prefix + "reason": "延期"})
    assert bad.status_code == 400 and not ExtensionApproval.objects.exists()
    done = client.post(url, {prefix + "approved_on": "2025-01-01", prefix + "approved_until": "2027-06-30",
                             prefix + "decision_ref": "浙特镇〔2025〕9号", prefix + "reason": "疫情影响"})
    assert done.status_code == 302
    approval = ExtensionApproval.objects.get()
    assert (approval.approved_until, approval.recorded_by) == (dt.date(2027, 6, 30), hangzhou_officer)
