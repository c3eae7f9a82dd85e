"""Reminders (idempotent), the county bulk upload, and the quarterly bulletin."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from tests.web.conftest import persona

from accounts.models import Role
from portal.errors import ActionError, NotAllowed
from reports.actions import (
    ReportRejected,
    generate_bulletin,
    publish_bulletin,
    send_report_reminders,
    submit_bulk_upload,
    submit_report_values,
)
from reports.models import Bulletin, Reminder, Report
from towns.actions import change_tier
from towns.models import Enrolment
from xiaozhen.reports import build_template

from .conftest import PAST, tongzhou_ledger, tongzhou_values

DUE = dt.date(2025, 10, 15)  # 2025Q3 + 15 days (the test programme's default deadline)


def test_reminders_go_out_before_the_due_date_and_again_when_overdue_once_each(past_period, qingxiu_town):
    assert send_report_reminders(today=DUE - dt.timedelta(days=10)) == 0
    assert send_report_reminders(today=DUE - dt.timedelta(days=3)) == 1
    assert send_report_reminders(today=DUE - dt.timedelta(days=2)) == 0
    assert send_report_reminders(today=DUE + dt.timedelta(days=1)) == 1
    assert send_report_reminders(today=DUE + dt.timedelta(days=5)) == 0
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == ["before_due", "overdue"]


def test_a_town_that_has_submitted_gets_no_reminder(past_period, town_clerk, programme, qingxiu_town):
    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk, values={"investment": 1})
    assert send_report_reminders(today=DUE + dt.timedelta(days=1)) == 0


def test_the_command_creates_reminders_shown_on_the_town_dashboard(past_period, signed_in, town_clerk):
    out = io.StringIO()
    call_command("send_report_reminders", "--today", (DUE + dt.timedelta(days=1)).isoformat(), stdout=out)
    assert "1" in out.getvalue()
    call_command("send_report_reminders", "--today", (DUE + dt.timedelta(days=2)).isoformat(), stdout=io.StringIO())
    assert Reminder.objects.count() == 1
    page = signed_in(town_clerk).get(reverse("portal:dashboard")).content.decode()
    assert "已逾期" in page and PAST in page


def test_the_town_dashboard_stops_saying_overdue_once_the_late_report_is_in(
        past_period, signed_in, town_clerk, programme, qingxiu_town):
    send_report_reminders(today=DUE + dt.timedelta(days=1))
    client = signed_in(town_clerk)
    assert "已逾期" in client.get(reverse("portal:dashboard")).content.decode()
    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk, values={"investment": 1})
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "已逾期" not in page
    assert "逾期报送" in page and PAST in page  # the report is in, late, and says so


# --- county bulk upload (Tongzhou) --------------------------------------------------------------


def _bulk_workbook(rows: dict[str, dict], ledger: list[tuple]) -> bytes:
    from xiaozhen.policy import get_policy

    policy = get_policy("tongzhou-towns")
    xlsx = build_template(policy, PAST, {code: code for code in rows})
    book = load_workbook(io.BytesIO(xlsx))
    sheet = book["报送 Report"]
    columns = {c.value: c.column for c in sheet[4]}
    for offset, (code, values) in enumerate(rows.items()):
        sheet.cell(row=5 + offset, column=1, value=code)
        for ident, value in values.items():
            sheet.cell(row=5 + offset, column=columns[ident], value=value)
    ledger_sheet = book["项目台账 Ledger"]
    for offset, row in enumerate(ledger):
        for col, value in enumerate(row, start=1):
            ledger_sheet.cell(row=4 + offset, column=col, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ledger_for(code: str) -> list[tuple]:
    return [(code, f"{code}产业园", "特色产业", 20, 2), (code, f"{code}公寓", "住宅", 5, 1)]


def test_a_county_office_submits_many_towns_in_one_workbook(tongzhou, tongzhou_period, tongzhou_office,
                                                            chuanjiang_town, ertong_town):
    data = _bulk_workbook({chuanjiang_town.code: tongzhou_values(), ertong_town.code: tongzhou_values()},
                          _ledger_for(chuanjiang_town.code) + _ledger_for(ertong_town.code))
    reports = submit_bulk_upload(reporting_period=tongzhou_period, data=data, filename="通州.xlsx", by=tongzhou_office)
    assert {r.town for r in reports} == {chuanjiang_town, ertong_town}
    assert {r.revisions.get().source for r in reports} == {"bulk"}


def test_another_countys_town_in_a_bulk_upload_is_refused_with_its_row_and_nothing_is_saved(
    tongzhou, tongzhou_period, tongzhou_office, chuanjiang_town, haimen_town
):
    data = _bulk_workbook({chuanjiang_town.code: tongzhou_values(), haimen_town.code: tongzhou_values()},
                          _ledger_for(chuanjiang_town.code))
    with pytest.raises(ReportRejected) as caught:
        submit_bulk_upload(reporting_period=tongzhou_period, data=data, filename="x.xlsx", by=tongzhou_office)
    refused = [p for p in caught.value.problems if p.indicator == "town_id"]
    assert [(p.sheet, p.row, p.column) for p in refused] == [("报送 Report", 6, "A")]
    assert not Report.objects.exists()


def test_a_town_body_cannot_bulk_upload(tongzhou, tongzhou_period, chuanjiang_clerk, chuanjiang_town):
    with pytest.raises(NotAllowed):
        submit_bulk_upload(reporting_period=tongzhou_period, data=b"x", filename="x.xlsx", by=chuanjiang_clerk)


# --- the bulletin ---------------------------------------------------------------------------------


def test_the_bulletin_ranks_by_counted_investment_against_plan_and_lists_missing_towns(
    tongzhou, tongzhou_period, tongzhou_office, chuanjiang_clerk, chuanjiang_town, ertong_town
):
    submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                         values=tongzhou_values(), ledger=tongzhou_ledger())
    bulletin = generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office)
    content = bulletin.content
    assert content["measure"]["id"] == "investment_progress"
    first = content["ranking"][0]
    assert first["town"] == chuanjiang_town.code
    assert first["numbers"]["planned"] == 20  # the residential project's plan is left out
    assert first["score"] == pytest.approx(2 / 20)
    assert [m["town"] for m in content["missing"]] == [ertong_town.code]
    assert [row["town"] for row in content["late"]] == [chuanjiang_town.code]


def test_a_cancellation_for_fraud_in_the_period_is_listed(tongzhou, tongzhou_period, tongzhou_office, ertong_town):
    enrolment = Enrolment.objects.get(town=ertong_town)
    change_tier(enrolment=enrolment, to_tier="cancelled", by=tongzhou_office, reason="台账弄虚作假",
                decision_ref="通特办〔2025〕9号", effective_on=dt.date(2025, 8, 1), transition_id="cancel_for_misconduct")
    content = generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office).content
    assert [(c["town"], c["clause"], c["reason"]) for c in content["cancellations"]] == [
        (ertong_town.code, "003 §五(三)", "台账弄虚作假")]


def test_a_bulletin_drawn_after_a_fraud_cancellation_leaves_the_cancelled_town_out(
        tongzhou, tongzhou_period, tongzhou_office, chuanjiang_clerk, chuanjiang_town, ertong_town):
    ertong_clerk = persona("ertong", Role.TOWN_BODY, town=ertong_town, full_name="二甲办")
    for town, clerk in ((chuanjiang_town, chuanjiang_clerk), (ertong_town, ertong_clerk)):
        submit_report_values(town=town, programme=tongzhou, period=PAST, by=clerk, values=tongzhou_values(),
                             ledger=tongzhou_ledger(), received_at=dt.datetime(2025, 10, 10, 9, tzinfo=dt.UTC))
    # Cancelled after the quarter ended (2025-09-30), before the bulletin is drawn up (2025-11-03).
    change_tier(enrolment=Enrolment.objects.get(town=ertong_town), to_tier="cancelled", by=tongzhou_office,
                reason="台账弄虚作假", decision_ref="通特办〔2025〕12号", effective_on=dt.date(2025, 10, 20),
                transition_id="cancel_for_misconduct")
    content = generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office,
                                today=dt.date(2025, 11, 3)).content
    assert [r["town"] for r in content["ranking"]] == [chuanjiang_town.code]
    assert content["counts"]["expected"] == 1 and content["missing"] == []
    assert [(c["town"], c["effective_on"]) for c in content["cancellations"]] == [(ertong_town.code, "2025-10-20")]


def test_a_correction_does_not_make_a_late_report_later_in_the_bulletin(
        tongzhou, tongzhou_period, tongzhou_office, chuanjiang_clerk, chuanjiang_town):
    assert tongzhou_period.due_on == dt.date(2025, 10, 10)  # 2025Q3 + Tongzhou's 10 days
    for day, feature in ((20, 2.0), (30, 2.5)):  # ten days late, corrected ten days after
        submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                             values=tongzhou_values(investment=1.0 + feature, feature=feature),
                             ledger=tongzhou_ledger(feature=feature),
                             received_at=dt.datetime(2025, 10, day, 2, tzinfo=dt.UTC))
    assert Report.objects.get(town=chuanjiang_town).submitted_at.day == 30
    content = generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office,
                                today=dt.date(2025, 11, 3)).content
    assert [(r["town"], r["days_late"]) for r in content["late"]] == [(chuanjiang_town.code, 10)]


def test_a_cancellation_after_the_bulletin_date_does_not_change_it(
        tongzhou, tongzhou_period, tongzhou_office, ertong_town):
    change_tier(enrolment=Enrolment.objects.get(town=ertong_town), to_tier="cancelled", by=tongzhou_office,
                reason="台账弄虚作假", decision_ref="通特办〔2025〕12号", effective_on=dt.date(2025, 11, 4),
                transition_id="cancel_for_misconduct")
    content = generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office,
                                today=dt.date(2025, 11, 3)).content
    assert content["cancellations"] == [] and content["counts"]["expected"] == 2


def test_the_bulletin_cannot_be_drafted_before_the_due_date(tongzhou, tongzhou_period, tongzhou_office):
    with pytest.raises(ActionError):
        generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office, today=tongzhou_period.due_on)


def test_only_the_deciding_office_drafts_and_publishes_the_bulletin(tongzhou, tongzhou_period, chuanjiang_clerk,
                                                                    jiangsu_officer, tongzhou_office):
    with pytest.raises(NotAllowed):
        generate_bulletin(reporting_period=tongzhou_period, by=chuanjiang_clerk)
    with pytest.raises(NotAllowed):  # Tongzhou's list is the district's to publish (003 §四(二))
        generate_bulletin(reporting_period=tongzhou_period, by=jiangsu_officer)
    bulletin = generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office)
    with pytest.raises(NotAllowed):
        publish_bulletin(bulletin=bulletin, by=chuanjiang_clerk)


def test_a_draft_bulletin_is_hidden_from_town_bodies_until_published(signed_in, tongzhou, tongzhou_period,
                                                                     tongzhou_office, chuanjiang_clerk):
    bulletin = generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office)
    url = reverse("reports:bulletin", args=["tongzhou-towns", PAST])
    client = signed_in(chuanjiang_clerk)
    assert client.get(url).status_code == 403
    publish_bulletin(bulletin=bulletin, by=tongzhou_office)
    assert Bulletin.objects.get().status == "published"
    page = client.get(url).content.decode()
    assert "进展排名" in page and "全区通报" in page


def test_a_published_bulletin_is_not_shown_outside_the_programmes_region(signed_in, tongzhou, tongzhou_period,
                                                                        tongzhou_office, liuzhou_reviewer):
    publish_bulletin(bulletin=generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office),
                     by=tongzhou_office)
    url = reverse("reports:bulletin", args=["tongzhou-towns", PAST])
    assert signed_in(liuzhou_reviewer).get(url).status_code == 403


def test_the_bulletin_exports_to_xlsx(signed_in, tongzhou, tongzhou_period, tongzhou_office, chuanjiang_clerk,
                                      chuanjiang_town):
    submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                         values=tongzhou_values(), ledger=tongzhou_ledger())
    generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office)
    response = signed_in(tongzhou_office).get(reverse("reports:bulletin_export", args=["tongzhou-towns", PAST]))
    book = load_workbook(io.BytesIO(response.content))
    ranking = book["排名 Ranking"]
    assert ranking.cell(row=2, column=2).value == chuanjiang_town.code
    assert book["未报 Missing"].max_row == 2


def test_a_published_bulletin_is_listed_for_the_towns_of_the_programme(signed_in, tongzhou, tongzhou_period,
                                                                      tongzhou_office, chuanjiang_clerk):
    bulletin = generate_bulletin(reporting_period=tongzhou_period, by=tongzhou_office)
    client = signed_in(chuanjiang_clerk)
    assert "bulletin/" not in client.get(reverse("reports:index")).content.decode()
    publish_bulletin(bulletin=bulletin, by=tongzhou_office)
    page = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:bulletin", args=["tongzhou-towns", PAST]) in page
