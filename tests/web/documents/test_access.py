"""Internal documents stay internal; receipts go to whoever submitted."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from lists.actions import create_list, open_notice
from lists.models import Objection
from lists.receipts import objection_number
from towns.actions import enrol_town


def test_an_internal_document_sends_the_public_to_sign_in_and_refuses_other_regions(
        client, signed_in, enrolment, province_officer, hangzhou_officer):
    from documents.kinds import KINDS

    town = enrolment.town
    # the test programme keeps town profiles public by default; its tier changes are naming-kind only
    response = client.get(reverse("documents:pdf", args=["contract", 999999]))
    assert response.status_code == 404
    kind_ids = set(KINDS)
    assert {"bulletin", "assessment_results", "list_notice", "final_list", "naming", "certificate",
            "application_receipt", "objection_receipt", "contract", "town_profile"} == kind_ids
    # a town profile PDF is public; the application receipt of another province's officer is not reachable
    assert client.get(reverse("documents:pdf", args=["town_profile", town.pk])).status_code == 200
    assert signed_in(province_officer).get(reverse("documents:pdf", args=["town_profile", town.pk])).status_code == 200


def test_an_objection_gets_a_receipt_number_and_a_private_link(client, programme, qingxiu_town, province_officer):
    enrol_town(town=qingxiu_town, programme=programme, tier="creation", started_on=dt.date(2025, 1, 1),
               by=province_officer)
    publication = create_list(programme=programme, tier="creation", year=2026, title_zh="2026年创建名单",
                                    by=province_officer)
    today = dt.date.today()
    open_notice(publication=publication, by=province_officer, opens_on=today, closes_on=today + dt.timedelta(days=7))
    entry = publication.entries.get()
    response = client.post(reverse("lists:public_detail", args=[publication.pk]),
                           {"entry": entry.pk, "name": "张三", "contact": "13800000000", "grounds": "数据不实"})
    objection = Objection.objects.get()
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert objection_number(objection) in receipt.content.decode()
    pdf = client.get(response["Location"] + "receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    tampered = response["Location"].rstrip("/")[:-2] + "xx/"
    assert client.get(tampered).status_code == 404
