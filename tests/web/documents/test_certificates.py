"""Naming certificates (003 §四(四) 颁发奖牌): numbered, and never outliving the decision."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from documents.certificates import certificates_of
from towns.actions import change_tier

from .conftest import pdf_text


def test_a_named_town_holds_a_valid_numbered_certificate(named_enrolment):
    [certificate] = certificates_of(named_enrolment)
    assert certificate.status == "valid" and certificate.ended_by is None
    assert certificate.number.endswith(f"证字第{certificate.naming.pk:04d}号")
    assert "〔2024〕" in certificate.number


def test_a_cancelled_qualification_cancels_the_certificate(named_enrolment, hangzhou_officer):
    change_tier(enrolment=named_enrolment, to_tier="cancelled", by=hangzhou_officer, reason="弄虚作假",
                decision_ref="浙特镇办〔2025〕2号", effective_on=dt.date(2025, 6, 1), transition_id="cancel_for_fraud")
    [certificate] = certificates_of(named_enrolment)
    assert certificate.status == "cancelled"
    assert certificate.ended_by is not None and certificate.ended_by.decision_ref == "浙特镇办〔2025〕2号"


def test_an_eliminated_named_town_has_an_expired_certificate(named_enrolment, hangzhou_officer):
    change_tier(enrolment=named_enrolment, to_tier="eliminated", by=hangzhou_officer, reason="连续未达标",
                decision_ref="浙特镇办〔2026〕4号", effective_on=dt.date(2026, 1, 1), transition_id="eliminate_named")
    [certificate] = certificates_of(named_enrolment)
    assert certificate.status == "expired"


def test_the_public_profile_shows_that_the_certificate_was_cancelled(client, named_enrolment, hangzhou_officer):
    change_tier(enrolment=named_enrolment, to_tier="cancelled", by=hangzhou_officer, reason="弄虚作假",
                decision_ref="浙特镇办〔2025〕2号", effective_on=dt.date(2025, 6, 1), transition_id="cancel_for_fraud")
    page = client.get(reverse("documents:profile", args=[named_enrolment.town.code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "已撤销" in text and "浙特镇办〔2025〕2号" in text
    assert "有效" not in text.replace("有效期", "")


def test_the_certificate_pdf_names_the_town_the_title_and_its_number(client, named_enrolment, tmp_path):
    [certificate] = certificates_of(named_enrolment)
    response = client.get(reverse("documents:pdf", args=["certificate", certificate.naming.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "证" in text and "云栖小镇" in text and "被认定为" in text
    assert certificate.number in text.replace(" ", "")
