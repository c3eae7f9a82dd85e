"""The audit trail is append-only, written inside the action's transaction, scoped by region,
and exportable as CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

import audit
from audit.models import AppendOnlyError, AuditEntry
from towns.actions import create_town


@pytest.fixture
def entry(qingxiu_town):
    return AuditEntry.objects.get(verb="create_town", object_id=str(qingxiu_town.pk))


def test_an_existing_entry_cannot_be_saved_again(entry):
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_entries_cannot_be_updated_in_bulk(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["reason"])


def test_the_database_refuses_an_update_even_from_raw_sql(entry):
    with pytest.raises(IntegrityError), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'rewritten' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's")
def test_postgresql_refuses_a_delete_even_from_raw_sql(entry):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(audit.AuditOutsideTransaction):
        audit.record(actor=None, verb="anything")
    assert not AuditEntry.objects.exists()


def test_an_action_that_fails_after_recording_leaves_no_entry(province_officer):
    from regions.models import Region

    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        create_town(by=province_officer, region=Region.objects.get(code="450103"), name_zh="甲镇")
        raise RuntimeError("a later step of the same transaction fails")
    assert AuditEntry.objects.count() == before


def test_a_system_entry_names_the_system_as_actor(db):
    with transaction.atomic():
        e = audit.record(actor=None, verb="sync_programme", object_type="programmes.programme", object_id=1)
    assert (e.actor, e.actor_username, e.role, e.object_id) == (None, "system", "", "1")
    assert e.actor_name == "system"


def test_officers_see_only_their_regions_entries(towns, signed_in, liuzhou_reviewer):
    html = signed_in(liuzhou_reviewer).get(reverse("audit:list")).content.decode()
    assert "柳北汽车小镇" in html
    assert "青秀创新小镇" not in html and "云栖小镇" not in html


def test_the_audit_list_filters_by_verb_and_region(towns, enrolment, signed_in, province_officer):
    client = signed_in(province_officer)
    html = client.get(reverse("audit:list"), {"verb": "enrol_town"}).content.decode()
    # enrol_town and create_town by their labels, as rows (the filter's options list every verb)
    assert '<span lang="zh-Hans">列入项目</span>' in html and '<span lang="zh-Hans">新建小镇</span>' not in html
    html = client.get(reverse("audit:list"), {"region": "4502"}).content.decode()
    assert "柳北汽车小镇" in html and "青秀创新小镇" not in html


def test_a_bad_filter_is_explained_not_ignored(towns, signed_in, province_officer):
    html = signed_in(province_officer).get(reverse("audit:list"), {"region": "45xx"}).content.decode()
    assert "区划代码只含数字" in html and "digits only" in html


def test_the_csv_export_holds_the_visible_entries_with_bilingual_headers(towns, signed_in, nanning_reviewer):
    response = signed_in(nanning_reviewer).get(reverse("audit:export", args=["csv"]), {"verb": "create_town"})
    assert response["Content-Disposition"].endswith('.csv"')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "时间 / At"
    objects = sorted(row[6] for row in rows[1:])
    assert objects == ["西乡塘科创小镇", "青秀创新小镇"]


def test_the_xlsx_export_opens_in_a_spreadsheet(towns, signed_in, auditor):
    response = signed_in(auditor).get(reverse("audit:export", args=["xlsx"]), {"verb": "create_town"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "操作 / Verb"
    assert len(rows) == 1 + 4 and {r[3] for r in rows[1:]} == {"create_town"}


def test_an_unknown_export_format_is_not_found(db, signed_in, auditor):
    assert signed_in(auditor).get(reverse("audit:export", args=["pdf"])).status_code == 404


def test_a_long_state_summary_is_kept_whole_on_every_database(qingxiu_town, province_officer):
    # PostgreSQL refuses an over-long varchar where SQLite keeps it; the demo's office profile summary broke this.
    summary = "广西壮族自治区科学技术厅 | 桂科高字 | 广西壮族自治区科学技术厅 | seal=True " * 4
    audit.record(actor=province_officer, verb="save_office_profile", obj=qingxiu_town,
                 from_state=summary, to_state=summary[::-1], reason="long states")
    stored = AuditEntry.objects.filter(verb="save_office_profile").latest("pk")
    assert (stored.from_state, stored.to_state) == (summary, summary[::-1])
    assert len(stored.from_state) > 64


def test_the_audit_list_and_panel_name_the_person_with_their_username_beside_it(
        towns, enrolment, signed_in, province_officer):
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    def by(username: str, name: str) -> None:
        person = User.objects.create(username=username, full_name=name, role=province_officer.role,
                                     region=province_officer.region)
        with transaction.atomic():
            audit.record(actor=person, verb="enrol_town", object_type="towns.town", object_id=1,
                         region=province_officer.region)

    by("sso-4f9c2e", "李四")
    client = signed_in(province_officer)
    with CaptureQueriesContext(connection) as before:
        html = client.get(reverse("audit:list")).content.decode()
    assert "李四" in html and "(sso-4f9c2e)" in html
    assert "郭省" in html and "(guo)" in html  # the officer who created the towns
    home = client.get("/").content.decode()
    assert "李四" in home and "(sso-4f9c2e)" in home
    for n in range(5):  # more people acting costs no query more: the actors come with the rows
        by(f"sso-extra{n}", f"王{n}")
    with CaptureQueriesContext(connection) as after:
        assert "王4" in client.get(reverse("audit:list")).content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
