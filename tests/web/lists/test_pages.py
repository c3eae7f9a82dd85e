"""The list pages: the public notice (no sign-in), objections, the officers' pages, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lists.actions import create_list, open_notice
from lists.models import ListPublication, Objection
from regions.models import Region
from towns.models import Enrolment, Town

TODAY = timezone.localdate


def objection_form(entry, **extra):
    return {"entry": entry.pk, "name": "张三", "contact": "13800000000", "grounds": "该镇投资数据不实", **extra}


def past_notice(draft, by):
    """The draft on notice a month ago for a week: the window has closed."""
    opened = TODAY() - dt.timedelta(days=30)
    return open_notice(publication=draft, by=by, opens_on=opened, closes_on=opened + dt.timedelta(days=7),
                       today=opened)


# --- the public ----------------------------------------------------------------------------
def test_anyone_reads_a_list_on_notice_without_signing_in(client, on_notice):
    index = client.get(reverse("lists:public_index"))
    assert index.status_code == 200 and "2025年度创新小镇创建名单" in index.content.decode()
    page = client.get(reverse("lists:public_detail", args=[on_notice.pk])).content.decode()
    for text in ("青秀创新小镇", "青秀区", "制造", "电子", "桂科〔2025〕1号", "公示期", "如何提出异议", "How to object",
                 "打印名单", "Print this list"):
        assert text in page
    assert 'name="grounds"' in page


def test_the_public_never_sees_a_draft(client, draft):
    assert client.get(reverse("lists:public_detail", args=[draft.pk])).status_code == 404
    assert "2025年度创新小镇创建名单" not in client.get(reverse("lists:public_index")).content.decode()


def test_the_officers_pages_need_a_sign_in(client, draft):
    response = client.get(reverse("lists:detail", args=[draft.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_every_page_links_to_the_public_notices(client, signed_in, town_clerk):
    assert 'href="/public/lists/"' in client.get(reverse("login")).content.decode()
    assert 'href="/public/lists/"' in signed_in(town_clerk).get("/").content.decode()


def test_an_objection_during_the_window_is_received(client, on_notice):
    entry = on_notice.entries.get(town_name_zh="柳北汽车小镇")
    response = client.post(reverse("lists:public_detail", args=[on_notice.pk]), objection_form(entry), follow=True)
    assert "异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    assert objection.entry == entry and objection.status == "pending" and objection.ip_address == "127.0.0.1"


def test_an_objection_missing_its_grounds_is_refused_naming_the_field(client, on_notice):
    entry = on_notice.entries.first()
    response = client.post(reverse("lists:public_detail", args=[on_notice.pk]), objection_form(entry, grounds=""))
    assert response.status_code == 400
    assert "异议理由" in response.content.decode() and not Objection.objects.exists()


def test_after_the_window_closes_objections_are_refused_with_a_clear_message(client, draft, province_officer):
    closed = past_notice(draft, province_officer)
    page = client.get(reverse("lists:public_detail", args=[closed.pk])).content.decode()
    assert "公示期已结束，不再受理异议" in page and 'name="grounds"' not in page
    response = client.post(reverse("lists:public_detail", args=[closed.pk]), objection_form(closed.entries.first()))
    assert response.status_code == 400
    assert "objections are no longer accepted" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(client, on_notice):
    response = client.post(reverse("lists:public_detail", args=[on_notice.pk]),
                           objection_form(on_notice.entries.first(), website="http://spam.example"))
    assert response.status_code == 400 and not Objection.objects.exists()


def test_more_than_three_objections_a_minute_from_one_address_are_refused(client, on_notice):
    url = reverse("lists:public_detail", args=[on_notice.pk])
    entry = on_notice.entries.first()
    for _ in range(3):
        assert client.post(url, objection_form(entry)).status_code == 302
    response = client.post(url, objection_form(entry))
    assert response.status_code == 400 and "一分钟后再试" in response.content.decode()
    assert Objection.objects.count() == 3
    # Another address is not held back.
    assert client.post(url, objection_form(entry), REMOTE_ADDR="127.0.0.2").status_code == 302


def test_a_removed_entry_shows_apart_with_its_reason_on_the_final_list(client, on_notice, province_officer):
    from lists.actions import decide_objection, finalise_list, submit_objection

    entry = on_notice.entries.get(town_name_zh="柳北汽车小镇")
    objection = submit_objection(publication=on_notice, entry=entry, name="a", contact="b", grounds="c")
    decide_objection(objection=objection, by=province_officer, upheld=True, reason="经核实存在重大安全事故")
    finalise_list(publication=on_notice, by=province_officer, today=on_notice.notice_closes_on + dt.timedelta(days=1))
    page = client.get(reverse("lists:public_detail", args=[on_notice.pk])).content.decode()
    listed, removed = page.split("经异议核实移出的小镇")
    assert "柳北汽车小镇" not in listed and "柳北汽车小镇" in removed and "经核实存在重大安全事故" in removed
    assert "本名单不在公示期内" in page


# --- the officers --------------------------------------------------------------------------
def test_an_officer_drafts_puts_on_notice_and_decides_through_the_pages(signed_in, province_officer, programme,
                                                                        creation_towns):
    client = signed_in(province_officer)
    response = client.post(reverse("lists:index"), {"kind": f"{programme.pk}:creation", "year": 2025,
                                                    "title_zh": "2025年度创建名单", "title_en": "", "document_number": ""})
    publication = ListPublication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("lists:detail", args=[publication.pk])
    page = client.get(response["Location"]).content.decode()
    assert "加入小镇" in page and "开始公示" in page and page.count("移除") == 3
    response = client.post(reverse("lists:open_notice", args=[publication.pk]),
                           {"notice_opens_on": TODAY(), "notice_closes_on": TODAY() + dt.timedelta(days=5),
                            "document_number": "桂科〔2025〕9号"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == "notice" and publication.document_number == "桂科〔2025〕9号"
    objection = Objection.objects.create(publication=publication, entry=publication.entries.first(), name="n",
                                         contact="c", grounds="g")
    page = client.get(reverse("lists:detail", args=[publication.pk])).content.decode()
    assert "处理异议" in page and "移除" not in page
    response = client.post(reverse("lists:decide_objection", args=[publication.pk, objection.pk]),
                           {f"o{objection.pk}-outcome": "dismissed", f"o{objection.pk}-reason": "不成立"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "dismissed"
    response = client.post(reverse("lists:finalise", args=[publication.pk]))
    assert response.status_code == 400 and "期满后方可正式公布" in response.content.decode()


def test_a_bad_notice_window_is_shown_next_to_the_field(signed_in, province_officer, draft):
    response = signed_in(province_officer).post(
        reverse("lists:open_notice", args=[draft.pk]),
        {"notice_opens_on": TODAY(), "notice_closes_on": TODAY() - dt.timedelta(days=2)})
    assert response.status_code == 400 and "公示截止日期不得早于开始日期" in response.content.decode()


def test_a_city_reviewer_gets_no_form_and_cannot_post_one(signed_in, nanning_reviewer, programme, on_notice):
    client = signed_in(nanning_reviewer)
    page = client.get(reverse("lists:index")).content.decode()
    assert 'name="title_zh"' not in page and "2025年度创新小镇创建名单" in page
    detail = client.get(reverse("lists:detail", args=[on_notice.pk])).content.decode()
    assert "青秀创新小镇" in detail
    assert reverse("lists:finalise", args=[on_notice.pk]) not in detail and reverse("lists:withdraw", args=[on_notice.pk]) not in detail
    response = client.post(reverse("lists:index"), {"kind": f"{programme.pk}:creation", "year": 2025, "title_zh": "x"})
    assert response.status_code == 403
    assert client.post(reverse("lists:finalise", args=[on_notice.pk])).status_code == 403


def test_a_city_reviewer_does_not_see_the_provinces_draft(signed_in, nanning_reviewer, draft):
    assert signed_in(nanning_reviewer).get(reverse("lists:detail", args=[draft.pk])).status_code == 403


def test_the_officer_dashboard_shows_lists_at_work_and_the_nav_entry(signed_in, province_officer, on_notice):
    page = signed_in(province_officer).get("/").content.decode()
    assert "名单管理" in page and "2025年度创新小镇创建名单" in page and 'href="/lists/"' in page


def test_a_town_body_has_no_lists_nav_entry(signed_in, town_clerk):
    assert 'href="/lists/"' not in signed_in(town_clerk).get("/").content.decode()


# --- fixed number of queries -----------------------------------------------------------------
def bulk_list(programme, by, n: int) -> ListPublication:
    """A list on notice with ``n`` entries, rows in bulk (volume only)."""
    counties = list(Region.objects.filter(code__in=["450103", "450107", "450205"]))
    start = Town.objects.count()
    towns = Town.objects.bulk_create(
        Town(code=f"bulk-{start + i:05d}", name_zh=f"批量小镇{start + i}", region=counties[i % 3],
             category="manufacturing", sub_sector="机械") for i in range(n))
    Enrolment.objects.bulk_create(
        Enrolment(town=t, programme=programme, programme_version=programme.current_version, initial_tier="cultivation",
                  tier="cultivation", started_on=dt.date(2024, 1, 1), tier_since=dt.date(2024, 1, 1)) for t in towns)
    publication = create_list(programme=programme, tier="cultivation", year=2025, by=by, title_zh=f"培育名单{n}")
    return open_notice(publication=publication, by=by, opens_on=TODAY(), closes_on=TODAY())


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["lists:public_detail", "lists:detail"])
def test_a_list_page_makes_as_many_queries_for_500_towns_as_for_5(programme, province_officer, signed_in, name):
    client = signed_in(province_officer)
    small, large = bulk_list(programme, province_officer, 5), bulk_list(programme, province_officer, 500)
    for publication in (small, large):
        Objection.objects.create(publication=publication, entry=publication.entries.first(), name="n", contact="c",
                                 grounds="g")
    assert queries(client, reverse(name, args=[small.pk])) == queries(client, reverse(name, args=[large.pk]))


@pytest.mark.parametrize("name", ["lists:public_index", "lists:index"])
def test_the_list_index_makes_as_many_queries_for_60_lists_as_for_3(programme, province_officer, signed_in, name,
                                                                    creation_towns):
    client = signed_in(province_officer)

    def add(n):
        for _ in range(n):
            publication = create_list(programme=programme, tier="creation", year=2025, by=province_officer,
                                      title_zh="创建名单")
            open_notice(publication=publication, by=province_officer, opens_on=TODAY(), closes_on=TODAY())

    add(3)
    with_3 = queries(client, reverse(name))
    add(57)
    assert queries(client, reverse(name)) == with_3
