"""Fraud (弄虚作假, 003 §五(三); 002 §三(四)): a finding with its evidence cancels the qualification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import actions
from assessments.models import FraudFinding
from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from towns.actions import enrol_town
from towns.models import TierChange


def record(enrolment, by, **overrides):
    kwargs = {"found_on": dt.date(2021, 3, 1), "source": "群众举报", "description": "虚报投资额 3 亿元",
              "decision_ref": "桂科〔2021〕9号",
              "documents": [actions.Document("核查报告.pdf", "application/pdf", b"%PDF-1.4 report")]}
    return actions.record_fraud_finding(enrolment=enrolment, by=by, **{**kwargs, **overrides})


def test_a_fraud_finding_cancels_the_qualification_through_the_cancel_transition(assessed, province_officer):
    finding = record(assessed["qingxiu"], province_officer)
    change = finding.tier_change
    assert (change.from_tier, change.to_tier, change.transition_id, change.clause) == ("creation", "cancelled", "cancel_for_fraud", "A §5")
    assert change.decision_ref == "桂科〔2021〕9号"
    assessed["qingxiu"].refresh_from_db()
    assert assessed["qingxiu"].tier == "cancelled" and not assessed["qingxiu"].is_open
    evidence = finding.evidence.get()
    assert (evidence.name, evidence.size, bytes(evidence.content)) == ("核查报告.pdf", 15, b"%PDF-1.4 report")
    entry = AuditEntry.objects.get(verb="record_fraud_finding")
    assert entry.data["tier_change"] == change.pk and entry.data["transition"] == "cancel_for_fraud"


def test_the_bulletin_finds_the_cancellation_by_its_transition(assessed, assessed_programme, province_officer):
    record(assessed["qingxiu"], province_officer)
    cancels = [t.id for t in assessed_programme.policy.lifecycle.transitions if t.action == "cancel"]
    change = TierChange.objects.get(transition_id__in=cancels)
    assert change.fraud_finding.description == "虚报投资额 3 亿元"


def test_a_programme_without_a_cancel_rule_refuses_clearly_and_writes_nothing(programme, qingxiu_town, province_officer):
    enrolment = enrol_town(town=qingxiu_town, programme=programme, tier="creation", started_on=dt.date(2019, 1, 1),
                           by=province_officer)
    with pytest.raises(ActionError) as err:
        record(enrolment, province_officer)
    assert "test-guangxi-towns has no cancel transition" in str(err.value)
    assert not FraudFinding.objects.exists() and not TierChange.objects.exists()


def test_a_finding_without_a_description_is_refused_naming_the_field(assessed, province_officer):
    with pytest.raises(ActionError) as err:
        record(assessed["qingxiu"], province_officer, description=" ")
    assert err.value.field == "description"
    assessed["qingxiu"].refresh_from_db()
    assert assessed["qingxiu"].tier == "creation"


def test_an_empty_evidence_file_is_refused_and_nothing_is_cancelled(assessed, province_officer):
    with pytest.raises(ActionError) as err:
        record(assessed["qingxiu"], province_officer, documents=[actions.Document("空.pdf", "application/pdf", b"")])
    assert err.value.field == "documents" and "空.pdf" in str(err.value)
    assert not TierChange.objects.filter(to_tier="cancelled").exists()


def test_a_city_reviewer_cannot_record_a_finding(assessed, nanning_reviewer):
    with pytest.raises(NotAllowed):
        record(assessed["qingxiu"], nanning_reviewer)


def test_the_officer_records_a_finding_with_uploads_and_the_town_page_shows_it(assessed, province_officer, signed_in, town_clerk):
    enrolment = assessed["qingxiu"]
    client = signed_in(province_officer)
    assert "记录弄虚作假查实情况" in client.get(f"/towns/{enrolment.town.code}/").content.decode()
    response = client.post(f"/assessments/fraud/{enrolment.pk}/", {
        "found_on": "2021-03-01", "source": "审计", "description": "虚报投资", "decision_ref": "桂科〔2021〕9号",
        "documents": [SimpleUploadedFile("a.pdf", b"A", content_type="application/pdf"),
                      SimpleUploadedFile("b.jpg", b"BB", content_type="image/jpeg")],
    }, follow=True)
    assert response.redirect_chain[-1][0] == f"/towns/{enrolment.town.code}/"
    finding = FraudFinding.objects.get()
    assert sorted(e.name for e in finding.evidence.all()) == ["a.pdf", "b.jpg"]
    page = signed_in(town_clerk).get(f"/towns/{enrolment.town.code}/").content.decode()
    assert "虚报投资" in page and "cancelled" in page
    download = signed_in(town_clerk).get(f"/assessments/evidence/{finding.evidence.first().pk}/")
    assert download.status_code == 200


def test_an_expert_not_assigned_the_town_cannot_download_the_evidence(assessed, province_officer, expert, signed_in):
    finding = record(assessed["qingxiu"], province_officer)
    assert signed_in(expert).get(f"/assessments/evidence/{finding.evidence.get().pk}/").status_code == 403
