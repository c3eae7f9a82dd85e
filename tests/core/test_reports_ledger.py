"""The project ledger (项目台账): it must add up to the reported investment; excluded project types do not count."""

from __future__ import annotations

import pytest

from xiaozhen.policy import get_policy
from xiaozhen.reports import LEDGER_SHEET, REPORT_SHEET, LedgerLink, build_template, read_report

from .test_reports_support import (
    GUANGXI,
    PERIOD,
    TONGZHOU,
    TOWNS,
    ZHEJIANG,
    cells,
    column_of,
    fill,
    only_problem,
    programme_with,
)

R, L = REPORT_SHEET, LEDGER_SHEET
# Where the template puts the investment columns (C, D, E for Zhejiang when this was written).
ZJ_INVESTMENT, ZJ_EXCLUDED, ZJ_FEATURE = (
    column_of(ZHEJIANG, i) for i in ("investment", "excluded_investment", "feature_investment")
)
TZ_INVESTMENT = column_of(TONGZHOU, "investment")
ZJ_FIGURES = {"investment": 10, "excluded_investment": 3, "feature_investment": 6}
ZJ_LEDGER = [
    ("TZ01", "智能装备产业园", "特色产业 Feature industry", 40, 6),
    ("TZ01", "人才公寓", "住宅", 12, 2),
    ("TZ01", "小镇商业中心", "commercial complex", 8, 1),
    ("TZ01", "污水管网", "其他", 3, 1),
]


def upload(policy, report, ledger, *, towns=TOWNS, link=None, edit=None):
    data = fill(build_template(policy, PERIOD, TOWNS), report, ledger, edit)
    return read_report(data, policy, PERIOD, towns=towns, ledger=link)


def test_a_ledger_that_adds_up_is_stored_with_the_report():
    result = upload(ZHEJIANG, {"TZ01": ZJ_FIGURES}, ZJ_LEDGER)
    assert result.ok, result.summary()
    stored = [(p.town_id, p.period, p.project_name, p.project_type, p.planned_investment, p.completed_investment, p.row)
              for p in result.ledger]
    assert stored == [
        ("TZ01", PERIOD, "智能装备产业园", "feature_industry", 40, 6, 4),
        ("TZ01", PERIOD, "人才公寓", "residential", 12, 2, 5),
        ("TZ01", PERIOD, "小镇商业中心", "commercial_complex", 8, 1, 6),
        ("TZ01", PERIOD, "污水管网", "other", 3, 1, 7),
    ]


def test_residential_and_commercial_complex_projects_are_left_out_of_counted_investment():
    result = upload(ZHEJIANG, {"TZ01": ZJ_FIGURES}, ZJ_LEDGER)
    assert dict(result.counted_investment) == {"TZ01": 7}  # 10 less housing 2 and the complex 1 (002 §一)
    assert [p.counted for p in result.ledger] == [True, False, False, True]


def test_tongzhou_leaves_out_residential_projects_only():
    # 003 §三(四): 以上投资均不含住宅项目 — a commercial complex still counts.
    figures = {"investment": 10, "residential_investment": 2, "feature_investment": 7}
    ledger = [("TZ01", "家纺城", "特色产业", 30, 7), ("TZ01", "安置房", "住宅", 5, 2), ("TZ01", "商业综合体", "商业综合体", 9, 1)]
    result = upload(TONGZHOU, {"TZ01": figures}, ledger)
    assert result.ok, result.summary()
    assert dict(result.counted_investment) == {"TZ01": 8}


def test_ledger_disagreeing_with_the_reported_investment_is_caught_at_the_investment_cell():
    result = upload(ZHEJIANG, {"TZ01": {**ZJ_FIGURES, "investment": 12}}, ZJ_LEDGER)
    problem = only_problem(result)
    assert (problem.sheet, problem.row, problem.column, problem.indicator) == (R, 5, ZJ_INVESTMENT, "investment")
    assert "12" in problem.message_zh and "10" in problem.message_zh
    assert "the investment that counts is 7" in problem.message_en
    assert result.ledger == () and dict(result.counted_investment) == {}


def test_a_rounding_difference_within_the_tolerance_agrees():
    assert upload(ZHEJIANG, {"TZ01": {**ZJ_FIGURES, "investment": 10.004}}, ZJ_LEDGER).ok
    assert not upload(ZHEJIANG, {"TZ01": {**ZJ_FIGURES, "investment": 10.05}}, ZJ_LEDGER).ok


def test_the_excluded_investment_must_match_the_ledgers_housing_and_complexes():
    problem = only_problem(upload(ZHEJIANG, {"TZ01": {**ZJ_FIGURES, "excluded_investment": 2}}, ZJ_LEDGER))
    assert (problem.row, problem.column, problem.indicator) == (5, ZJ_EXCLUDED, "excluded_investment")
    assert "住宅、商业综合体项目" in problem.message_zh


def test_the_feature_investment_must_match_the_ledgers_feature_projects():
    ledger = [*ZJ_LEDGER[:3], ("TZ01", "污水管网", "特色产业", 3, 1)]
    problem = only_problem(upload(ZHEJIANG, {"TZ01": ZJ_FIGURES}, ledger))
    assert (problem.column, problem.indicator) == (ZJ_FEATURE, "feature_investment")


def test_guangxi_checks_housing_and_complexes_each_against_its_own_figure():
    figures = {"fixed_asset_investment": 10, "housing_investment": 2, "commercial_complex_investment": 1, "feature_investment": 6}
    ledger = [("TZ01", "产业园", "特色产业", 30, 6), ("TZ01", "住宅", "住宅", 5, 1), ("TZ01", "综合体", "商业综合体", 9, 2),
              ("TZ01", "道路", "其他", 9, 1)]
    result = upload(GUANGXI, {"TZ01": figures}, ledger)
    assert [(p.indicator, p.row) for p in result.problems] == [("housing_investment", 5), ("commercial_complex_investment", 5)]


def test_an_excluded_figure_left_blank_means_none_and_must_match_a_ledger_without_such_projects():
    # excluded_investment is blank_is_zero: a town with no housing leaves it empty.
    figures = {"investment": 7, "feature_investment": 6}
    assert upload(ZHEJIANG, {"TZ01": figures}, [ZJ_LEDGER[0], ZJ_LEDGER[3]]).ok
    problem = only_problem(upload(ZHEJIANG, {"TZ01": {**figures, "investment": 8}}, [ZJ_LEDGER[0], *ZJ_LEDGER[2:]]))
    assert problem.indicator == "excluded_investment"


def test_investment_left_blank_while_the_ledger_has_projects_is_caught():
    result = upload(ZHEJIANG, {"TZ01": {"tax": 1.5}}, ZJ_LEDGER)
    assert ("investment", ZJ_INVESTMENT) in [(p.indicator, p.column) for p in result.problems]
    assert any("未填" in p.message_zh for p in result.problems)


def test_reported_investment_without_any_ledger_project_is_caught():
    problem = only_problem(upload(TONGZHOU, {"TZ02": {"investment": 3, "feature_investment": 0}}, []))
    assert (problem.row, problem.column, problem.indicator) == (6, TZ_INVESTMENT, "investment")


@pytest.mark.parametrize("project, column, words", [
    (("TZ01", "产业园", "厂房", 1, 1), "C", "项目类型应为"),
    (("TZ01", None, "其他", 1, 1), "B", "项目名称为空"),
    (("TZ01", "产业园", "其他", 1, -1), "E", "为负数"),
    (("TZ01", "产业园", "其他", 1, None), "E", "没有完成请填 0"),
    (("TZ01", "产业园", "其他", "一亿", 1), "D", "应为数字"),
    ((None, "产业园", "其他", 1, 1), "A", "小镇编号为空"),
    (("TZ99", "产业园", "其他", 1, 1), "A", "未知的小镇编号"),
    (("TZ02", "产业园", "其他", 1, 1), "A", "报送表中没有它的数据"),
    (("TZ01", "产业园", "其他", 1, "#REF!"), "E", "错误值 #REF!"),
])
def test_a_bad_ledger_row_is_reported_at_its_cell(project, column, words):
    result = upload(ZHEJIANG, {"TZ01": {"tax": 1}}, [project])
    ledger_problems = [p for p in result.problems if p.sheet == L]
    assert len(ledger_problems) == 1, result.summary()
    assert (ledger_problems[0].row, ledger_problems[0].column) == (4, column)
    assert words in ledger_problems[0].message_zh
    assert result.ledger == ()


def test_the_same_project_twice_for_a_town_is_reported():
    result = upload(ZHEJIANG, {"TZ01": {**ZJ_FIGURES, "investment": 16}}, [*ZJ_LEDGER, ZJ_LEDGER[0]])
    assert (L, 8, "B", "project_name") in cells(result)


def test_a_missing_ledger_sheet_is_reported():
    def drop(wb):
        del wb[L]

    problem = only_problem(upload(ZHEJIANG, {"TZ01": {"tax": 1}}, [], edit=drop))
    assert problem.sheet == L and "缺少工作表" in problem.message_zh


def test_a_programme_without_investment_stores_its_ledger_without_reconciling():
    zones = get_policy("guangxi-hitech-zones")  # reports no investment at all
    result = upload(zones, {"TZ01": {"gdp": 100}}, [("TZ01", "研发楼", "其他", 2, 1), ("TZ01", "人才公寓", "住宅", 2, 0.5)])
    assert result.ok, result.summary()
    assert dict(result.counted_investment) == {"TZ01": 1}


SYNTHETIC = programme_with(
    "tongzhou-characteristic-towns.yaml", "county-pilot",
    {"id": "key_project_investment", "label": {"zh": "重点项目投资", "en": "Key-project investment"}, "unit": "万元"},
)


def test_a_caller_may_tie_the_ledger_to_other_indicators():
    link = LedgerLink(total="key_project_investment", excluded_types=("residential",))
    good = upload(SYNTHETIC, {"TZ01": {"key_project_investment": 500}},
                  [("TZ01", "厂房", "特色产业", 900, 450), ("TZ01", "公寓", "住宅", 90, 50)], link=link)
    assert good.ok, good.summary()
    assert dict(good.counted_investment) == {"TZ01": 450}
    bad = upload(SYNTHETIC, {"TZ01": {"key_project_investment": 600}}, [("TZ01", "厂房", "特色产业", 900, 450)], link=link)
    assert [p.indicator for p in bad.problems] == ["key_project_investment"]


def test_a_ledger_link_naming_an_indicator_the_programme_lacks_is_refused():
    with pytest.raises(ValueError, match="no indicator"):
        read_report(build_template(TONGZHOU, PERIOD, TOWNS), TONGZHOU, PERIOD, ledger=LedgerLink(total="gdp"))
    with pytest.raises(ValueError, match="unknown project type"):
        LedgerLink(total="investment", excluded_types=("warehouse",))
