"""One sub-sector, one town (003 §三(一)): the pure check behind enrolment and list publication."""

from __future__ import annotations

import pytest

from xiaozhen.lists import Holder, holders_of, sub_sector_conflicts
from xiaozhen.policy import get_policy


@pytest.fixture(scope="module")
def tongzhou():
    return get_policy("tongzhou-towns")


@pytest.fixture(scope="module")
def zhejiang():
    return get_policy("zhejiang-towns")


def test_tongzhou_declares_the_rule_with_its_clause(tongzhou):
    rule = tongzhou.lifecycle.unique_sub_sector
    assert rule is not None and rule.clause == "003 §三(一)"
    assert "细分产业" in rule.label.zh


def test_two_towns_in_one_sub_sector_are_a_conflict_naming_both(tongzhou):
    conflicts = sub_sector_conflicts(tongzhou, [
        Holder("石港家纺小镇", "high_end_manufacturing", "高端家纺"),
        Holder("川姜家纺小镇", "high_end_manufacturing", "高端家纺"),
        Holder("西亭智造小镇", "high_end_manufacturing", "机器人"),
    ])
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert conflict.sub_sector == "高端家纺" and conflict.towns == ("石港家纺小镇", "川姜家纺小镇")
    zh, en = conflict.message()
    assert "石港家纺小镇" in zh and "川姜家纺小镇" in zh and "003 §三(一)" in zh
    assert "高端家纺" in en and "003 §三(一)" in en


def test_towns_in_different_sub_sectors_or_without_one_do_not_conflict(tongzhou):
    assert sub_sector_conflicts(tongzhou, [
        Holder("A", "high_end_manufacturing", "高端家纺"),
        Holder("B", "high_end_manufacturing", "新材料"),
        Holder("C", "other", ""),
        Holder("D", "other", " "),
    ]) == []


def test_the_same_town_listed_twice_is_not_a_conflict(tongzhou):
    assert sub_sector_conflicts(tongzhou, [Holder("A", "tourism", "民宿经济"), Holder("A", "tourism", "民宿经济")]) == []


def test_a_programme_without_the_flag_allows_shared_sub_sectors(zhejiang):
    assert zhejiang.lifecycle.unique_sub_sector is None
    holders = [Holder("A", "x", "同一细分"), Holder("B", "x", "同一细分")]
    assert sub_sector_conflicts(zhejiang, holders) == []
    assert holders_of(zhejiang, holders[:1], holders[1]) == ()


def test_holders_of_names_the_town_already_in_the_sub_sector(tongzhou):
    existing = [Holder("石港家纺小镇", "high_end_manufacturing", "高端家纺"), Holder("B", "tourism", "民宿经济")]
    candidate = Holder("川姜家纺小镇", "high_end_manufacturing", "高端家纺")
    assert holders_of(tongzhou, existing, candidate) == ("石港家纺小镇",)
    assert holders_of(tongzhou, existing, Holder("C", "tourism", "生态旅游")) == ()
    assert holders_of(tongzhou, existing, existing[0]) == ()  # a town never blocks itself
