"""Publishing a list: draft → notice (公示) → final, corrections, and who may do it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from lists.actions import (
    add_list_entry,
    create_list,
    decide_objection,
    finalise_list,
    open_notice,
    remove_list_entry,
    submit_objection,
    withdraw_list,
)
from lists.models import ListPublication
from portal.errors import ActionError, NotAllowed
from towns.actions import enrol_town

TODAY = timezone.localdate
Status = ListPublication.Status


def after_window(publication) -> dt.date:
    return publication.notice_closes_on + dt.timedelta(days=1)


def test_a_draft_holds_every_town_enrolled_in_that_tier_as_it_stands(draft, creation_towns):
    entries = list(draft.entries.order_by("position"))
    by_code = sorted(creation_towns, key=lambda t: t.code)
    assert [(e.position, e.town_name_zh) for e in entries] == [(n, t.name_zh) for n, t in enumerate(by_code, start=1)]
    qingxiu = next(e for e in entries if e.town_name_zh == "青秀创新小镇")
    assert (qingxiu.county_zh, qingxiu.category_zh, qingxiu.category_en, qingxiu.sub_sector) == (
        "青秀区", "制造", "Manufacturing", "电子")
    assert draft.status == Status.DRAFT and draft.programme_version == draft.programme.current_version


def test_the_draft_is_a_snapshot_later_town_edits_do_not_change_it(draft, qingxiu_town):
    qingxiu_town.name_zh = "改名后的小镇"
    qingxiu_town.save()
    assert draft.entries.filter(town_name_zh="青秀创新小镇").exists()


def test_only_towns_of_the_tier_are_listed(programme, province_officer, creation_towns, hangzhou_town):
    cultivation = create_list(programme=programme, tier="cultivation", year=2025, by=province_officer,
                              title_zh="培育名单")
    assert cultivation.entries.count() == 0


def test_a_terminal_tier_is_not_a_list(programme, province_officer):
    with pytest.raises(ActionError) as refused:
        create_list(programme=programme, tier="exited", year=2025, by=province_officer, title_zh="退出名单")
    assert refused.value.field == "tier"


def test_a_city_reviewer_cannot_publish_the_provinces_list(programme, nanning_reviewer, draft):
    with pytest.raises(NotAllowed):
        create_list(programme=programme, tier="creation", year=2025, by=nanning_reviewer, title_zh="名单")
    with pytest.raises(NotAllowed):
        open_notice(publication=draft, by=nanning_reviewer, opens_on=TODAY(), closes_on=TODAY())


def test_a_town_body_cannot_publish(programme, town_clerk, draft, signed_in):
    with pytest.raises(NotAllowed):
        create_list(programme=programme, tier="creation", year=2025, by=town_clerk, title_zh="名单")
    client = signed_in(town_clerk)
    response = client.post(reverse("lists:open_notice", args=[draft.pk]),
                           {"notice_opens_on": TODAY(), "notice_closes_on": TODAY()})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_another_provinces_officer_cannot_publish(programme, hangzhou_officer, draft, signed_in):
    with pytest.raises(NotAllowed):
        create_list(programme=programme, tier="creation", year=2025, by=hangzhou_officer, title_zh="名单")
    assert signed_in(hangzhou_officer).get(reverse("lists:detail", args=[draft.pk])).status_code == 403


def test_entries_change_while_draft_and_never_after(draft, province_officer, programme, hangzhou_town):
    liuzhou = draft.entries.get(town_name_zh="柳北汽车小镇")
    remove_list_entry(entry=liuzhou, by=province_officer, reason="尚未完成年度考核")
    assert not draft.entries.filter(town_name_zh="柳北汽车小镇").exists()
    add_list_entry(publication=draft, town=liuzhou.town, by=province_officer)
    open_notice(publication=draft, by=province_officer, opens_on=TODAY(), closes_on=TODAY())
    assert list(draft.entries.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    with pytest.raises(ActionError, match="草稿"):
        remove_list_entry(entry=draft.entries.first(), by=province_officer)
    with pytest.raises(ActionError, match="草稿"):
        add_list_entry(publication=draft, town=liuzhou.town, by=province_officer)


def test_a_town_not_enrolled_in_the_programme_cannot_be_added(draft, province_officer, programme):
    from tests.web.conftest import region

    from towns.actions import create_town

    outsider = create_town(by=province_officer, region=region("450103"), name_zh="未入选小镇")
    with pytest.raises(ActionError) as refused:
        add_list_entry(publication=draft, town=outsider, by=province_officer)
    assert refused.value.field == "town" and "未入选小镇" in refused.value.zh


def test_an_empty_list_or_a_window_closing_before_it_opens_is_refused(programme, province_officer):
    empty = create_list(programme=programme, tier="cultivation", year=2025, by=province_officer, title_zh="培育名单")
    with pytest.raises(ActionError, match="empty"):
        open_notice(publication=empty, by=province_officer, opens_on=TODAY(), closes_on=TODAY())
    with pytest.raises(ActionError) as refused:
        open_notice(publication=empty, by=province_officer, opens_on=TODAY(), closes_on=TODAY() - dt.timedelta(days=1))
    assert refused.value.field == "notice_closes_on"


def test_the_list_is_final_only_after_the_window_with_every_objection_decided(on_notice, province_officer):
    entry = on_notice.entries.get(town_name_zh="西乡塘科创小镇")
    with pytest.raises(ActionError, match="期满"):
        finalise_list(publication=on_notice, by=province_officer)
    objection = submit_objection(publication=on_notice, entry=entry, name="张三", contact="13800000000",
                                 grounds="投资数据不实")
    with pytest.raises(ActionError, match="1条异议未处理"):
        finalise_list(publication=on_notice, by=province_officer, today=after_window(on_notice))
    decide_objection(objection=objection, by=province_officer, upheld=True, reason="经核实，投资数据不实")
    final = finalise_list(publication=on_notice, by=province_officer, today=after_window(on_notice))
    assert final.status == Status.FINAL
    entry.refresh_from_db()
    assert entry.removed and entry.removed_reason == "经核实，投资数据不实"
    assert final.entries.filter(removed=False).count() == 2


def test_a_dismissed_objection_keeps_the_town_on_the_list(on_notice, province_officer):
    entry = on_notice.entries.first()
    objection = submit_objection(publication=on_notice, entry=entry, name="李四", contact="li@example.com",
                                 grounds="不服")
    with pytest.raises(ActionError) as refused:
        decide_objection(objection=objection, by=province_officer, upheld=False, reason="  ")
    assert refused.value.field == "reason"
    decide_objection(objection=objection, by=province_officer, upheld=False, reason="理由不成立")
    entry.refresh_from_db()
    assert not entry.removed
    with pytest.raises(ActionError, match="已处理"):
        decide_objection(objection=objection, by=province_officer, upheld=True, reason="改判")


def test_a_city_reviewer_cannot_decide_objections(on_notice, nanning_reviewer):
    objection = submit_objection(publication=on_notice, entry=on_notice.entries.first(), name="王五",
                                 contact="123", grounds="x")
    with pytest.raises(NotAllowed):
        decide_objection(objection=objection, by=nanning_reviewer, upheld=True, reason="r")


def test_a_correction_supersedes_the_final_list_which_itself_never_changes(on_notice, province_officer, programme):
    final = finalise_list(publication=on_notice, by=province_officer, today=after_window(on_notice))
    with pytest.raises(ActionError, match="更正"):
        withdraw_list(publication=final, by=province_officer, reason="错了")
    with pytest.raises(ActionError, match="草稿"):
        add_list_entry(publication=final, town=final.entries.first().town, by=province_officer)
    correction = create_list(programme=programme, tier="creation", year=2025, by=province_officer,
                             title_zh="2025年度创建名单（更正）", supersedes=final)
    with pytest.raises(ActionError, match="更正名单在办理中"):
        create_list(programme=programme, tier="creation", year=2025, by=province_officer, title_zh="又一份",
                    supersedes=final)
    remove_list_entry(entry=correction.entries.first(), by=province_officer, reason="更正")
    correction = open_notice(publication=correction, by=province_officer, opens_on=TODAY(), closes_on=TODAY())
    finalise_list(publication=correction, by=province_officer, today=after_window(correction))
    final.refresh_from_db()
    assert final.status == Status.SUPERSEDED and final.entries.count() == 3
    assert list(final.corrections.all()) == [correction]


def test_only_a_final_list_of_the_same_tier_can_be_corrected(draft, programme, province_officer):
    with pytest.raises(ActionError) as refused:
        create_list(programme=programme, tier="creation", year=2025, by=province_officer, title_zh="更正",
                    supersedes=draft)
    assert refused.value.field == "supersedes"


def test_withdrawing_needs_a_reason_and_ends_the_notice(on_notice, province_officer):
    with pytest.raises(ActionError):
        withdraw_list(publication=on_notice, by=province_officer, reason="")
    withdrawn = withdraw_list(publication=on_notice, by=province_officer, reason="数据有误")
    assert withdrawn.status == Status.WITHDRAWN
    with pytest.raises(ActionError, match="公示期已结束"):
        submit_objection(publication=withdrawn, entry=withdrawn.entries.first(), name="a", contact="b", grounds="c")


def test_every_step_is_audited(on_notice, province_officer):
    objection = submit_objection(publication=on_notice, entry=on_notice.entries.first(), name="张三",
                                 contact="1", grounds="g")
    decide_objection(objection=objection, by=province_officer, upheld=False, reason="不成立")
    finalise_list(publication=on_notice, by=province_officer, today=after_window(on_notice))
    verbs = list(AuditEntry.objects.filter(verb__in=["create_list", "open_notice", "submit_objection",
                                                     "decide_objection", "finalise_list"])
                 .order_by("id").values_list("verb", "from_state", "to_state"))
    assert verbs == [("create_list", "", "draft"), ("open_notice", "draft", "notice"),
                     ("submit_objection", "", "pending"), ("decide_objection", "pending", "dismissed"),
                     ("finalise_list", "notice", "final")]
    submitted = AuditEntry.objects.get(verb="submit_objection")
    assert submitted.actor is None and submitted.data["name"] == "张三" and submitted.region.code == "450000"


# --- 003 §三(一) when a list is published -----------------------------------------------------
def test_a_list_with_two_towns_in_one_sub_sector_cannot_be_put_on_notice(
    tongzhou, tongzhou_office, shigang_town, chuanjiang_town
):
    chuanjiang_town.sub_sector = "新材料"
    chuanjiang_town.save()
    for town in (shigang_town, chuanjiang_town):
        enrol_town(town=town, programme=tongzhou, tier="creation", started_on=dt.date(2024, 1, 1), by=tongzhou_office)
    # The town's profile is edited afterwards: both now read 高端家纺.
    chuanjiang_town.sub_sector = "高端家纺"
    chuanjiang_town.save()
    draft = create_list(programme=tongzhou, tier="creation", year=2025, by=tongzhou_office, title_zh="创建名单")
    with pytest.raises(ActionError) as refused:
        open_notice(publication=draft, by=tongzhou_office, opens_on=TODAY(), closes_on=TODAY())
    details = " ".join(refused.value.details)
    assert "石港家纺小镇" in details and "川姜家纺小镇" in details and "003 §三(一)" in details
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    # Taking one of them off the draft lets it through.
    remove_list_entry(entry=draft.entries.get(town_name_zh="川姜家纺小镇"), by=tongzhou_office, reason="同一细分产业")
    assert open_notice(publication=draft, by=tongzhou_office, opens_on=TODAY(), closes_on=TODAY()).status == "notice"


def test_the_jiangsu_province_does_not_publish_tongzhous_district_list(tongzhou, jiangsu_officer):
    with pytest.raises(NotAllowed):
        create_list(programme=tongzhou, tier="creation", year=2025, by=jiangsu_officer, title_zh="名单")
