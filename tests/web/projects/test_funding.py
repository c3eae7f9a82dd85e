"""The funding ledger (004 §三6): who records which money, totals, the matching flag, the export."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from projects import actions
from projects.models import Contract, FundingEntry
from projects.selectors import contract_page_queryset, statement_for
from towns.models import IndicatorValue


def fund(contract, by, source, amount, on="2024-03-01", kind="allocation", ref="粤科资字〔2024〕1号"):
    return actions.record_funding(contract=contract, kind=kind, source=source, amount=Decimal(amount),
                                  on=dt.date.fromisoformat(on), document_ref=ref, by=by)


def test_only_the_provincial_officer_allocates_provincial_money(
        in_force, guangzhou_reviewer, tianhe_office, gd_clerk, auditor, province_officer):
    for user in (guangzhou_reviewer, tianhe_office, gd_clerk, auditor, province_officer):
        with pytest.raises(NotAllowed):
            fund(in_force, user, "provincial", "100")
    assert not FundingEntry.objects.exists()


@pytest.mark.parametrize(("source", "allowed", "refused"), [
    ("city", "guangzhou_reviewer", ["shenzhen_reviewer", "gd_officer", "gd_clerk", "tianhe_office"]),
    ("county", "tianhe_office", ["guangzhou_reviewer", "gd_clerk"]),
    ("town", "gd_clerk", ["other_clerk", "guangzhou_reviewer", "auditor"]),
])
def test_each_local_source_is_allocated_by_its_own_government(in_force, request, source, allowed, refused):
    Contract.objects.filter(pk=in_force.pk).update(county_amount=Decimal("50"))  # every source commits money
    in_force.refresh_from_db()
    for who in refused:
        with pytest.raises(NotAllowed):
            fund(in_force, request.getfixturevalue(who), source, "10")
    entry = fund(in_force, request.getfixturevalue(allowed), source, "10")
    assert entry.source == source and entry.amount == Decimal("10.00")


def test_only_the_town_records_spending_and_never_more_than_a_source_brought(in_force, gd_officer, gd_clerk):
    fund(in_force, gd_officer, "provincial", "100")
    with pytest.raises(NotAllowed):
        fund(in_force, gd_officer, "provincial", "10", kind="disbursement", on="2024-04-01")
    with pytest.raises(ActionError) as info:
        fund(in_force, gd_clerk, "provincial", "120", kind="disbursement", on="2024-04-01")
    assert info.value.field == "amount" and "20" in str(info.value)
    fund(in_force, gd_clerk, "provincial", "100", kind="disbursement", on="2024-04-01")
    assert statement_for(contract_page_queryset().get(pk=in_force.pk)).source("provincial").unspent == 0


@pytest.mark.parametrize(("amount", "on", "ref", "field"), [
    ("0", "2024-03-01", "x", "amount"),
    ("1.234", "2024-03-01", "x", "amount"),
    ("10", "2023-12-31", "x", "on"),
    ("10", (dt.date.today() + dt.timedelta(days=2)).isoformat(), "x", "on"),
    ("10", "2024-03-01", "  ", "document_ref"),
])
def test_bad_ledger_lines_are_refused_naming_the_field(in_force, gd_officer, amount, on, ref, field):
    with pytest.raises(ActionError) as info:
        fund(in_force, gd_officer, "provincial", amount, on=on, ref=ref)
    assert info.value.field == field
    assert not FundingEntry.objects.exists()


def test_no_money_is_recorded_on_a_contract_still_awaiting_signatures(contract, gd_officer):
    with pytest.raises(ActionError, match="signed contract"):
        fund(contract, gd_officer, "provincial", "10")


def test_the_ledger_writes_the_running_totals_the_programmes_criteria_read(in_force, gd_officer, gd_clerk):
    fund(in_force, gd_officer, "provincial", "100", on="2024-03-01")
    fund(in_force, gd_clerk, "town", "40", on="2024-05-01")
    fund(in_force, gd_officer, "provincial", "50", on="2025-02-01")
    values = {(v.indicator_id, v.period): v.number for v in IndicatorValue.objects.filter(
        indicator_id__in=["provincial_funds_to_date", "local_matching_to_date", "local_matching_arranged"])}
    assert values == {
        ("provincial_funds_to_date", "2024"): 100, ("local_matching_to_date", "2024"): 40,
        ("local_matching_arranged", "2024"): 1, ("provincial_funds_to_date", "2025"): 150,
        ("local_matching_to_date", "2025"): 40, ("local_matching_arranged", "2025"): 1,
    }
    assert AuditEntry.objects.filter(verb="record_funding").count() == 3


def test_the_funding_page_shows_the_totals_and_flags_under_matching_citing_the_clause(
        in_force, gd_officer, guangzhou_reviewer, gd_clerk, signed_in):
    fund(in_force, gd_officer, "provincial", "200")
    fund(in_force, guangzhou_reviewer, "city", "80")
    html = signed_in(gd_officer).get(reverse("projects:funding", args=[in_force.pk])).content.decode()
    assert "地方配套不足" in html and "0.40" in html and "120.00" in html  # 80/200; 200 − 80 still needed
    assert "004 §三6" in html and "地方配套经费与省拨经费之比下限" in html  # the parameter by its label
    fund(in_force, gd_clerk, "town", "120", on="2024-04-01")
    html = signed_in(gd_officer).get(reverse("projects:funding", args=[in_force.pk])).content.decode()
    assert "地方配套不足" not in html and "地方配套达标" in html


def test_the_ledger_exports_as_xlsx_with_the_statement_and_every_line(in_force, gd_officer, gd_clerk, auditor, signed_in):
    fund(in_force, gd_officer, "provincial", "200")
    fund(in_force, gd_clerk, "town", "50", ref="镇财〔2024〕9号")
    response = signed_in(auditor).get(reverse("projects:funding_xlsx", args=[in_force.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    statement = [list(r) for r in book["statement"].iter_rows(values_only=True)]
    assert ["省拨经费 / Provincial", 300.0, 200.0, 0.0, 200.0] in statement
    assert any(r[0] and "低于要求" in r[0] and r[1] == "是 yes" for r in statement)
    lines = list(book["ledger"].iter_rows(values_only=True))
    assert len(lines) == 3 and lines[2][4] == "镇财〔2024〕9号"


def test_the_auditor_reads_the_ledger_but_cannot_record(in_force, auditor, signed_in):
    client = signed_in(auditor)
    page = client.get(reverse("projects:funding", args=[in_force.pk]))
    assert page.status_code == 200 and 'action="/projects/' not in page.content.decode()
    response = client.post(reverse("projects:funding_record", args=[in_force.pk]), {
        "kind": "allocation", "source": "provincial", "amount": "10", "on": "2024-03-01", "document_ref": "x"})
    assert response.status_code == 403
    assert not FundingEntry.objects.exists()


def test_a_bad_amount_in_the_form_is_shown_next_to_the_field(in_force, gd_officer, signed_in):
    response = signed_in(gd_officer).post(reverse("projects:funding_record", args=[in_force.pk]), {
        "kind": "allocation", "source": "provincial", "amount": "1.234", "on": "2024-03-01", "document_ref": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_amount_error"' in html and 'aria-invalid="true"' in html.split('name="amount"')[0][-200:] + html


def test_allocations_up_to_the_committed_amount_pass_and_a_cent_more_is_refused_citing_the_contract(
        in_force, gd_officer):
    fund(in_force, gd_officer, "provincial", "200")
    fund(in_force, gd_officer, "provincial", "100", on="2024-04-01")  # 300 of the 300 committed
    with pytest.raises(ActionError) as info:
        fund(in_force, gd_officer, "provincial", "0.01", on="2024-05-01")
    assert info.value.field == "amount"
    assert in_force.number in str(info.value) and "300" in str(info.value) and "0.01" in str(info.value)
    assert FundingEntry.objects.count() == 2


def test_six_hundred_provincial_against_three_hundred_committed_is_refused(in_force, gd_officer):
    with pytest.raises(ActionError) as info:
        fund(in_force, gd_officer, "provincial", "600")
    assert info.value.field == "amount" and "300" in str(info.value)
    assert not FundingEntry.objects.exists()


def test_a_reversed_allocation_frees_its_amount_under_the_commitment(in_force, gd_officer):
    entry = fund(in_force, gd_officer, "provincial", "300")
    actions.reverse_funding(entry=entry, by=gd_officer, reason="金额录错", document_ref="粤科资字〔2024〕2号",
                            on=dt.date(2024, 3, 2))
    assert fund(in_force, gd_officer, "provincial", "300", on="2024-03-03").amount == Decimal("300.00")


def test_a_source_with_nothing_committed_takes_no_allocation(in_force, tianhe_office):
    with pytest.raises(ActionError) as info:  # the contract commits no county money
        fund(in_force, tianhe_office, "county", "10")
    assert info.value.field == "amount"


@pytest.mark.parametrize(("today", "expected"), [
    ("2023-11-30", "2024-01-01"),  # before the term: its first day
    ("2024-01-01", "2024-01-01"),
    ("2025-06-15", "2025-06-15"),  # within the term: today
    ("2026-12-31", "2026-12-31"),
    ("2027-02-01", "2026-12-31"),  # after the term: its last day
])
def test_a_new_ledger_line_is_dated_within_the_contract_term(in_force, today, expected):
    assert in_force.term_end == dt.date(2026, 12, 31)
    assert actions.default_ledger_date(in_force, today=dt.date.fromisoformat(today)) == dt.date.fromisoformat(expected)


def test_the_funding_form_offers_a_date_within_the_term(in_force, gd_officer, signed_in):
    html = signed_in(gd_officer).get(reverse("projects:funding", args=[in_force.pk])).content.decode()
    day = actions.default_ledger_date(in_force)
    assert in_force.term_start <= day <= in_force.term_end
    (field,) = re.findall(r'<input[^>]*name="on"[^>]*>', html)
    assert f'value="{day.isoformat()}"' in field
