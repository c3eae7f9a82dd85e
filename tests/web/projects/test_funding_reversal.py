"""Reversing a mistaken ledger line (红字冲销): nothing edited or deleted, both lines leave the totals."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from projects import actions
from projects.models import FundingEntry
from projects.selectors import contract_page_queryset, statement_for
from towns.models import IndicatorValue

from .test_funding import fund


def undo(entry, by, reason="金额录入错误", ref="粤科资字〔2024〕2号"):
    return actions.reverse_funding(entry=entry, by=by, reason=reason, document_ref=ref)


def statement(contract):
    return statement_for(contract_page_queryset().get(pk=contract.pk))


def test_a_reversed_allocation_leaves_the_totals_and_the_indicators_but_stays_in_the_ledger(in_force, gd_officer):
    kept = fund(in_force, gd_officer, "provincial", "100")
    wrong = fund(in_force, gd_officer, "provincial", "200", on="2024-06-01")
    reversal = undo(wrong, gd_officer)
    assert reversal.amount == Decimal("-200.00") and reversal.reverses == wrong and reversal.kind == wrong.kind
    assert statement(in_force).source("provincial").allocated == Decimal("100")
    assert list(FundingEntry.objects.order_by("pk")) == [kept, wrong, reversal]
    total = IndicatorValue.objects.get(indicator_id="provincial_funds_to_date", period="2024")
    assert total.number == 100
    entry = AuditEntry.objects.get(verb="reverse_funding")
    assert entry.actor == gd_officer and entry.reason == "金额录入错误"
    assert (entry.from_state, entry.to_state) == ("recorded", "reversed")
    assert entry.data["entry"] == wrong.pk and entry.data["reversal"] == reversal.pk


def test_a_line_is_reversed_once_and_a_reversal_never(in_force, gd_officer):
    wrong = fund(in_force, gd_officer, "provincial", "10")
    reversal = undo(wrong, gd_officer)
    with pytest.raises(ActionError, match="already reversed"):
        undo(wrong, gd_officer)
    with pytest.raises(ActionError, match="cannot itself be reversed"):
        undo(reversal, gd_officer)
    assert FundingEntry.objects.count() == 2


def test_money_already_spent_cannot_be_reversed_until_the_spending_is(in_force, gd_officer, gd_clerk):
    allocation = fund(in_force, gd_officer, "provincial", "100")
    spending = fund(in_force, gd_clerk, "provincial", "60", kind="disbursement", on="2024-04-01")
    with pytest.raises(ActionError) as info:
        undo(allocation, gd_officer)
    assert "60" in str(info.value) and "reverse that spending first" in str(info.value)
    undo(spending, gd_clerk)
    undo(allocation, gd_officer)
    assert statement(in_force).source("provincial").allocated == 0


def test_only_the_party_that_records_a_line_may_reverse_it(in_force, guangzhou_reviewer, gd_officer, gd_clerk, auditor):
    city_money = fund(in_force, guangzhou_reviewer, "city", "30")
    for user in (gd_officer, gd_clerk, auditor):
        with pytest.raises(NotAllowed):
            undo(city_money, user)
    assert undo(city_money, guangzhou_reviewer).reverses == city_money


def test_a_reason_and_a_document_are_required(in_force, gd_officer):
    wrong = fund(in_force, gd_officer, "provincial", "10")
    with pytest.raises(ActionError) as no_reason:
        undo(wrong, gd_officer, reason=" ")
    with pytest.raises(ActionError) as no_ref:
        undo(wrong, gd_officer, ref="")
    assert (no_reason.value.field, no_ref.value.field) == ("reason", "document_ref")
    assert not FundingEntry.objects.filter(reverses=wrong).exists()


def test_the_ledger_page_offers_the_reversal_and_then_shows_which_line_reversed_which(
        in_force, gd_officer, guangzhou_reviewer, signed_in):
    wrong = fund(in_force, gd_officer, "provincial", "250")
    client = signed_in(gd_officer)
    url = reverse("projects:funding_reverse", args=[in_force.pk, wrong.pk])
    refused = client.post(url, {f"r{wrong.pk}-reason": "", f"r{wrong.pk}-document_ref": "x"})
    assert refused.status_code == 400 and f'id="id_r{wrong.pk}-reason_error"' in refused.content.decode()
    done = client.post(url, {f"r{wrong.pk}-reason": "重复登记", f"r{wrong.pk}-document_ref": "粤科资字〔2024〕3号"})
    assert done.status_code == 302
    html = client.get(reverse("projects:funding", args=[in_force.pk])).content.decode()
    reversal = FundingEntry.objects.get(reverses=wrong)
    assert f'href="#line-{reversal.pk}"' in html and "<s>250.00</s>" in html and url not in html
    city = signed_in(guangzhou_reviewer)
    assert city.post(url, {f"r{wrong.pk}-reason": "x", f"r{wrong.pk}-document_ref": "y"}).status_code == 403


def test_the_export_numbers_each_line_and_names_the_line_a_reversal_reverses(in_force, gd_officer, auditor, signed_in):
    wrong = fund(in_force, gd_officer, "provincial", "80")
    reversal = undo(wrong, gd_officer)
    response = signed_in(auditor).get(reverse("projects:funding_xlsx", args=[in_force.pk]))
    lines = list(load_workbook(io.BytesIO(response.content))["ledger"].iter_rows(values_only=True))
    assert lines[0][-2:] == ("行号 / Line", "冲销的行 / Reverses line")
    assert (lines[1][3], lines[1][-2], lines[1][-1]) == (80.0, wrong.pk, None)
    assert (lines[2][3], lines[2][-2], lines[2][-1]) == (-80.0, reversal.pk, wrong.pk)
