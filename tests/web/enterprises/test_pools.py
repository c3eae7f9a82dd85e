"""001 §三(四)2–3 in the platform: the cultivation pool with dates, rewards checked per firm, the pools page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from enterprises import actions
from portal.errors import ActionError, NotAllowed
from xiaozhen.codes import credit_code_check_char


def code(n: int) -> str:
    first = f"91450103MA7{n:06d}"
    return first + credit_code_check_char(first)


def test_a_firm_enters_and_leaves_the_pool_with_dates_and_a_reason(province_officer, qingxiu_town):
    entry = actions.enter_cultivation_pool(by=province_officer, town=qingxiu_town, credit_code=code(1), name="广西甲科技",
                                           entered_on=dt.date(2023, 3, 1))
    with pytest.raises(ActionError, match="already in a cultivation pool"):
        actions.enter_cultivation_pool(by=province_officer, town=qingxiu_town, credit_code=code(1), name="广西甲科技",
                                       entered_on=dt.date(2023, 4, 1))
    with pytest.raises(ActionError, match="before the entry date"):
        actions.exit_cultivation_pool(by=province_officer, entry=entry, exited_on=dt.date(2023, 2, 28), reason="认定")
    left = actions.exit_cultivation_pool(by=province_officer, entry=entry, exited_on=dt.date(2024, 11, 20),
                                         reason="已认定为高新技术企业")
    assert left.exited_on == dt.date(2024, 11, 20)
    assert AuditEntry.objects.filter(verb="exit_cultivation_pool").exists()


def test_rewards_are_checked_per_firm_not_by_total(province_officer, qingxiu_town, signed_in):
    for n, amount in ((1, "15"), (2, "5"), (3, "10")):
        actions.record_high_tech_reward(by=province_officer, town=qingxiu_town, credit_code=code(n), name=f"企业{n}",
                                        kind="first", certificate_number=f"GR2024450000{n}",
                                        certified_on=dt.date(2024, 12, 1), amount_wan=Decimal(amount))
    audit = {e.data["amount_wan"]: e.data["below_floor"] for e in AuditEntry.objects.filter(verb="record_high_tech_reward")}
    assert audit == {"15": False, "5": True, "10": False}
    page = signed_in(province_officer).get(reverse("enterprises:pools", args=[qingxiu_town.pk]) + "?year=2024")
    assert page.content.decode().count("below the per-firm floor") == 1


def test_a_second_reward_for_the_same_certificate_is_refused(province_officer, qingxiu_town):
    kwargs = {"by": province_officer, "town": qingxiu_town, "credit_code": code(1), "name": "企业", "kind": "renewal",
              "certificate_number": "GR202145000001", "certified_on": dt.date(2024, 1, 5), "amount_wan": Decimal("5")}
    actions.record_high_tech_reward(**kwargs)
    with pytest.raises(ActionError, match="already recorded"):
        actions.record_high_tech_reward(**kwargs)


def test_an_officer_of_another_city_cannot_record_rewards(liuzhou_reviewer, qingxiu_town):
    with pytest.raises(NotAllowed):
        actions.record_high_tech_reward(by=liuzhou_reviewer, town=qingxiu_town, credit_code=code(1), name="企业",
                                        kind="first", certificate_number="GR1", certified_on=dt.date(2024, 1, 5),
                                        amount_wan=Decimal("10"))


def test_an_officer_enters_a_firm_takes_it_out_and_records_a_reward_through_the_pools_page(
        province_officer, qingxiu_town, signed_in):
    client = signed_in(province_officer)
    url = reverse("enterprises:pools", args=[qingxiu_town.pk]) + "?year=2024"
    assert "企业入库" in client.get(url).content.decode()
    entered = client.post(url, {"do": "enter", "enter-credit_code": code(7), "enter-name": "广西丙科技",
                                "enter-entered_on": "2023-05-01"})
    assert entered.status_code == 302
    entry = qingxiu_town.cultivation_entries.get(credit_code=code(7))
    left = client.post(url, {"do": "exit", "exit-entry": entry.pk, "exit-exited_on": "2024-11-01",
                             "exit-reason": "已认定为高新技术企业"})
    assert left.status_code == 302
    entry.refresh_from_db()
    assert entry.exited_on == dt.date(2024, 11, 1) and entry.exit_reason == "已认定为高新技术企业"
    rewarded = client.post(url, {"do": "reward", "reward-credit_code": code(7), "reward-name": "广西丙科技",
                                 "reward-kind": "first", "reward-certificate_number": "GR202445000077",
                                 "reward-certified_on": "2024-11-01", "reward-amount_wan": "8"})
    assert rewarded.status_code == 302
    assert client.get(url).content.decode().count("below the per-firm floor") == 1  # 8万元 < 10万元 for a first
    assert [e.verb for e in AuditEntry.objects.filter(verb__in=["enter_cultivation_pool", "exit_cultivation_pool",
                                                                 "record_high_tech_reward"]).order_by("pk")] == [
        "enter_cultivation_pool", "exit_cultivation_pool", "record_high_tech_reward"]


def test_a_bad_credit_code_on_the_pools_page_is_shown_next_to_the_field_and_nothing_is_written(
        province_officer, qingxiu_town, signed_in):
    bad = code(8)[:17] + ("1" if code(8)[17] == "0" else "0")
    response = signed_in(province_officer).post(
        reverse("enterprises:pools", args=[qingxiu_town.pk]),
        {"do": "enter", "enter-credit_code": bad, "enter-name": "广西丁科技", "enter-entered_on": "2023-05-01"})
    assert response.status_code == 400 and "invalid credit code" in response.content.decode()
    assert not qingxiu_town.cultivation_entries.exists()


def test_the_zones_own_clerk_sees_the_pool_without_forms_and_cannot_post_to_it(town_clerk, qingxiu_town, signed_in):
    client = signed_in(town_clerk)
    url = reverse("enterprises:pools", args=[qingxiu_town.pk])
    page = client.get(url)
    assert page.status_code == 200 and "高新技术企业培育库" in page.content.decode()
    assert "企业入库" not in page.content.decode()
    posted = client.post(url, {"do": "enter", "enter-credit_code": code(9), "enter-name": "x",
                               "enter-entered_on": "2023-05-01"})
    assert posted.status_code == 403 and not qingxiu_town.cultivation_entries.exists()
