"""003 §三(一): one sub-sector, one town — enforced when a town is enrolled."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEntry
from portal.errors import ActionError
from towns.actions import change_tier, enrol_town
from towns.models import Enrolment

START = dt.date(2024, 1, 1)


def test_a_second_town_in_the_same_sub_sector_is_refused_naming_the_first(
    tongzhou, tongzhou_office, shigang_town, chuanjiang_town
):
    enrol_town(town=shigang_town, programme=tongzhou, tier="creation", started_on=START, by=tongzhou_office)
    with pytest.raises(ActionError) as refused:
        enrol_town(town=chuanjiang_town, programme=tongzhou, tier="planning", started_on=START, by=tongzhou_office)
    error = refused.value
    assert error.field == "sub_sector"
    assert "石港家纺小镇" in error.zh and "高端家纺" in error.zh and "003 §三(一)" in error.zh
    assert "石港家纺小镇" in error.en and "one town per sub-sector" in error.en
    assert not Enrolment.objects.filter(town=chuanjiang_town).exists()
    assert not AuditEntry.objects.filter(verb="enrol_town", object_repr__contains="川姜").exists()


def test_the_sub_sector_given_for_the_programme_counts_not_only_the_towns_own(
    tongzhou, tongzhou_office, shigang_town, chuanjiang_town
):
    enrol_town(town=shigang_town, programme=tongzhou, tier="creation", started_on=START, by=tongzhou_office,
               category="high_end_manufacturing", sub_sector="新材料")
    # The Chuanjiang town is a textile town, but in this programme it asks for 新材料: taken.
    with pytest.raises(ActionError, match="石港家纺小镇"):
        enrol_town(town=chuanjiang_town, programme=tongzhou, tier="creation", started_on=START, by=tongzhou_office,
                   category="high_end_manufacturing", sub_sector="新材料")
    # Its own 高端家纺 is free, since the Shigang town holds 新材料 here.
    enrol_town(town=chuanjiang_town, programme=tongzhou, tier="creation", started_on=START, by=tongzhou_office)
    assert Enrolment.objects.filter(programme=tongzhou, ended_on__isnull=True).count() == 2


def test_a_town_that_left_the_list_frees_its_sub_sector(tongzhou, tongzhou_office, shigang_town, chuanjiang_town):
    first = enrol_town(town=shigang_town, programme=tongzhou, tier="creation", started_on=START, by=tongzhou_office)
    change_tier(enrolment=first, to_tier="cancelled", by=tongzhou_office, reason="弄虚作假",
                decision_ref="通政〔2024〕1号", effective_on=dt.date(2024, 6, 1))
    enrolment = enrol_town(town=chuanjiang_town, programme=tongzhou, tier="planning", started_on=dt.date(2024, 7, 1),
                           by=tongzhou_office)
    assert enrolment.tier == "planning"


def test_towns_without_a_sub_sector_are_never_refused(tongzhou, tongzhou_office, shigang_town, chuanjiang_town):
    for town in (shigang_town, chuanjiang_town):
        town.sub_sector = ""
        town.save()
        enrol_town(town=town, programme=tongzhou, tier="planning", started_on=START, by=tongzhou_office)
    assert Enrolment.objects.filter(programme=tongzhou).count() == 2


def test_a_programme_without_the_rule_takes_two_towns_in_one_sub_sector(
    programme, province_officer, xixiangtang_town, liuzhou_town
):
    assert xixiangtang_town.sub_sector == liuzhou_town.sub_sector == "机械"
    for town in (xixiangtang_town, liuzhou_town):
        enrol_town(town=town, programme=programme, tier="creation", started_on=START, by=province_officer)
    assert Enrolment.objects.filter(programme=programme, town__sub_sector="机械").count() == 2
