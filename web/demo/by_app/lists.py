"""Demo lists (order 120): published lists of several programmes in every state.

* Tongzhou creation list of two years ago: final, then corrected → the first is superseded;
* Tongzhou planning list of this year: on notice (window open), one objection pending;
* Guangxi innovation-town cultivation list: on notice with a dismissed objection;
* Zhejiang creation list of last year: final, one town removed after an upheld objection;
* Zhejiang cultivation list of this year: a draft; Guangxi's named list: withdrawn.

Idempotent: a list whose title already exists is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from demo.registry import DemoContext, demo_step
from demo.steps import decider
from lists.actions import (
    create_list,
    decide_objection,
    finalise_list,
    open_notice,
    remove_list_entry,
    submit_objection,
    withdraw_list,
)
from lists.models import ListPublication


def _officer(ctx: DemoContext, programme):
    towns = ctx.towns.get(programme.policy_id) or []
    return decider(ctx, programme, towns[0]) if towns else None


def _draft(ctx, pid: str, tier: str, year: int, title_zh: str, title_en: str, number: str, supersedes=None):
    programme = ctx.programmes.get(pid)
    if programme is None or ListPublication.objects.filter(programme=programme, title_zh=title_zh).exists():
        return None, None
    by = _officer(ctx, programme)
    if by is None:
        return None, None
    publication = create_list(programme=programme, tier=tier, year=year, by=by, title_zh=title_zh, title_en=title_en,
                              document_number=number, supersedes=supersedes)
    if not publication.entries.exists():
        return None, None
    return publication, by


def _past_final(publication, by, *, opened: dt.date, objection: tuple[str, str] | None = None):
    closes = opened + dt.timedelta(days=7)
    publication = open_notice(publication=publication, by=by, opens_on=opened, closes_on=closes, today=opened)
    if objection:
        entry = publication.entries.order_by("-position").first()
        raised = submit_objection(publication=publication, entry=entry, name="演示群众 王先生", contact="0513-0000000",
                                  grounds=objection[0], today=opened + dt.timedelta(days=2))
        decide_objection(objection=raised, by=by, upheld=True, reason=objection[1])
    return finalise_list(publication=publication, by=by, today=closes + dt.timedelta(days=1))


@demo_step(order=120, name="published lists in every state")
def lists(ctx: DemoContext) -> None:
    today = timezone.localdate()
    year = today.year
    made = 0

    # Tongzhou creation list: final, then a correction that supersedes it (003 §四(二)).
    first, by = _draft(ctx, "tongzhou-towns", "creation", year - 2, f"通州区{year - 2}年度特色小镇创建名单",
                       f"Tongzhou characteristic towns: {year - 2} creation list", f"通政办〔{year - 2}〕12号")
    if first:
        first = _past_final(first, by, opened=dt.date(year - 2, 3, 1))
        fix, _ = _draft(ctx, "tongzhou-towns", "creation", year - 2, f"通州区{year - 2}年度特色小镇创建名单（更正）",
                        f"Tongzhou characteristic towns: {year - 2} creation list (correction)",
                        f"通政办〔{year - 2}〕15号", supersedes=first)
        if fix:
            last = fix.entries.order_by("-position").first()
            remove_list_entry(entry=last, by=by, reason="该镇当年已降格为培育对象，误列入创建名单，予以更正。")
            _past_final(fix, by, opened=dt.date(year - 2, 4, 1))
        made += 2

    # Tongzhou planning list: on notice now, one objection waiting for the office.
    notice, by = _draft(ctx, "tongzhou-towns", "planning", year, f"通州区{year}年度特色小镇谋划名单（公示）",
                        f"Tongzhou characteristic towns: {year} planning list (public notice)", "")
    if notice:
        notice = open_notice(publication=notice, by=by, opens_on=today - dt.timedelta(days=2),
                             closes_on=today + dt.timedelta(days=5), today=today - dt.timedelta(days=2))
        entry = notice.entries.first()
        assert entry is not None  # _draft put the towns on it
        submit_objection(publication=notice, entry=entry, name="演示群众 李女士",
                         contact="li@example.com", grounds="该镇规划范围与已批准的工业园区重叠，请核实。")
        made += 1

    # Guangxi cultivation list: on notice, an objection already dismissed (000 第四部分(三)).
    gx, by = _draft(ctx, "guangxi-innovation-towns", "cultivation", year, f"{year}年自治区创新小镇培育名单（公示）",
                    f"Guangxi innovation towns: {year} cultivation list (public notice)", "")
    if gx:
        gx = open_notice(publication=gx, by=by, opens_on=today - dt.timedelta(days=1),
                         closes_on=today + dt.timedelta(days=6), today=today - dt.timedelta(days=1))
        entry = gx.entries.first()
        assert entry is not None
        raised = submit_objection(publication=gx, entry=entry, name="演示企业 某科技公司",
                                  contact="0771-0000000", grounds="认为该镇研发机构数量统计有误。")
        decide_objection(objection=raised, by=by, upheld=False, reason="经核对统计台账，数据无误，异议不成立。")
        made += 1

    # Zhejiang creation list: final, one town removed after an upheld objection (002 §三(四)).
    zj, by = _draft(ctx, "zhejiang-towns", "creation", year - 1, f"浙江省第{year - 2015}批特色小镇创建名单",
                    f"Zhejiang characteristic towns: creation list {year - 1}", f"浙特镇办〔{year - 1}〕3号")
    if zj:
        _past_final(zj, by, opened=dt.date(year - 1, 5, 10),
                    objection=("该镇存在房地产化倾向，住宅用地占比过高。", "经实地核查，住宅用地占比超过规定，移出创建名单。"))
        made += 1

    # Zhejiang cultivation list: still a draft; Guangxi named list: withdrawn while on notice.
    draft, _ = _draft(ctx, "zhejiang-towns", "cultivation", year, f"浙江省{year}年度特色小镇培育名单（草稿）",
                      f"Zhejiang characteristic towns: {year} cultivation list (draft)", "")
    made += bool(draft)
    named, by = _draft(ctx, "guangxi-innovation-towns", "named", year, f"{year}年自治区创新小镇命名名单",
                       f"Guangxi innovation towns named in {year}", "")
    if named:
        open_notice(publication=named, by=by, opens_on=today, closes_on=today + dt.timedelta(days=7))
        withdraw_list(publication=named, by=by, reason="评估报告尚未经厅务会审定，撤回后重新公示。")
        made += 1
    ctx.say(f"  {made} lists made; {ListPublication.objects.count()} in all — public notices at /public/lists/")
