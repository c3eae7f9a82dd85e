"""Reading an upload: every kind of mistake is reported at its sheet, row and column, and a failed upload stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl.utils import column_index_from_string

from xiaozhen.reports import LEDGER_SHEET, REPORT_SHEET, build_template, read_report

from .test_reports_support import (
    PERIOD,
    TONGZHOU,
    TOWNS,
    ZHEJIANG,
    cells,
    column_of,
    fill,
    only_problem,
    programme_with,
    values_of,
)

R = REPORT_SHEET
# Where the template puts Tongzhou's columns (C, F, G, H and K when this was written).
INVESTMENT, AREA, BUILT, PARLOUR, SCENIC = (
    column_of(TONGZHOU, i)
    for i in ("investment", "planning_area_km2", "construction_area_km2", "town_parlour", "scenic_standard_level")
)
AREA_INDEX = column_index_from_string(AREA)


def upload(report, ledger=(), *, policy=TONGZHOU, period=PERIOD, previous=None, towns=TOWNS, edit=None):
    data = fill(build_template(policy, PERIOD, TOWNS), report, ledger, edit)
    return read_report(data, policy, period, previous, towns=towns)


def test_a_clean_upload_gives_values_ready_to_store():
    result = upload({"TZ01": {"planning_area_km2": 3.2, "town_parlour": "是", "scenic_standard_level": 3}})
    assert result.ok, result.summary()
    stored = sorted((v.town_id, v.indicator, v.period, v.basis, v.value) for v in result.values)
    assert stored == [
        ("TZ01", "planning_area_km2", "2025Q3", "actual", 3.2),
        ("TZ01", "scenic_standard_level", "2025Q3", "actual", 3.0),
        ("TZ01", "town_parlour", "2025Q3", "actual", True),
    ]
    assert result.towns == ("TZ01",)  # TZ02 left untouched: it has not reported


def test_a_negative_amount_is_reported_at_its_cell():
    problem = only_problem(upload({"TZ02": {"planning_area_km2": -3}}))
    assert (problem.sheet, problem.row, problem.column, problem.indicator) == (R, 6, AREA, "planning_area_km2")
    assert "为负数" in problem.message_zh and "negative" in problem.message_en


@pytest.mark.parametrize("typed", ["abc", "3..2", "约3"])
def test_text_in_a_number_cell_is_refused(typed):
    problem = only_problem(upload({"TZ01": {"planning_area_km2": typed}}))
    assert (problem.row, problem.column) == (5, AREA)
    assert "应为数字" in problem.message_zh and "expected a number" in problem.message_en


def test_a_number_may_carry_its_own_unit_but_not_another():
    good = upload({"TZ01": {"planning_area_km2": "3.2 km²"}})
    assert values_of(good) == {"TZ01": {"planning_area_km2": 3.2}}
    problem = only_problem(upload({"TZ01": {"planning_area_km2": "3.2 亩"}}))
    assert problem.column == AREA and "单位应为km²" in problem.message_zh


def test_an_amount_in_another_money_unit_is_refused_with_the_converted_figure():
    problem = only_problem(upload({"TZ01": {"investment": "5000万元"}}, [("TZ01", "道路", "其他", 1, 0.5)]))
    assert (problem.row, problem.column, problem.indicator) == (5, INVESTMENT, "investment")
    assert "0.5" in problem.message_zh and "write the number 0.5 only" in problem.message_en


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A"])
def test_an_excel_error_is_refused_not_read_as_a_blank(error):
    # python-calamine reads error cells as empty strings; a blank would pass as "unknown".
    problem = only_problem(upload({"TZ01": {"planning_area_km2": 3.0, "town_parlour": error}}))
    assert (problem.row, problem.column, problem.indicator) == (5, PARLOUR, "town_parlour")
    assert error in problem.message_zh and "formula failed" in problem.message_en


def test_a_date_in_a_number_cell_is_refused():
    problem = only_problem(upload({"TZ01": {"planning_area_km2": dt.date(2025, 3, 2)}}))
    assert problem.column == AREA and "date" in problem.message_en


def test_a_count_must_be_a_whole_number():
    problem = only_problem(upload({"TZ01": {"scenic_standard_level": 3.5}}))
    assert (problem.row, problem.column, problem.indicator) == (5, SCENIC, "scenic_standard_level")
    assert "整数" in problem.message_zh


@pytest.mark.parametrize("typed, read", [("是", True), ("否", False), ("yes", True), ("No", False), (1, True), (0, False), (True, True)])
def test_yes_no_cells_accept_是否_yes_no_and_1_0(typed, read):
    assert values_of(upload({"TZ01": {"town_parlour": typed}})) == {"TZ01": {"town_parlour": read}}


@pytest.mark.parametrize("typed", ["maybe", "对", 2])
def test_yes_no_cells_refuse_anything_else(typed):
    problem = only_problem(upload({"TZ01": {"town_parlour": typed}}))
    assert (problem.row, problem.column, problem.indicator) == (5, PARLOUR, "town_parlour")
    assert "是" in problem.message_zh


SHARES = programme_with(
    "tongzhou-characteristic-towns.yaml", "tongzhou-shares",
    {"id": "green_coverage", "label": {"zh": "绿化覆盖率", "en": "Green coverage"}, "unit": "share", "type": "share"},
)


@pytest.mark.parametrize("typed, read", [(0.42, 0.42), ("42%", 0.42), ("42 ％", 0.42), (1, 1.0), (0, 0.0)])
def test_a_share_is_a_fraction_or_a_percentage_with_a_percent_sign(typed, read):
    result = upload({"TZ01": {"green_coverage": typed}}, policy=SHARES)
    assert values_of(result) == {"TZ01": {"green_coverage": pytest.approx(read)}}


@pytest.mark.parametrize("typed, words", [(42, "大于 1"), ("142%", "不在 0–1"), (-0.1, "不在 0–1")])
def test_a_bare_share_above_one_or_outside_0_to_100_percent_is_refused(typed, words):
    problem = only_problem(upload({"TZ01": {"green_coverage": typed}}, policy=SHARES))
    assert problem.indicator == "green_coverage" and problem.row == 5
    assert words in problem.message_zh


def test_a_part_larger_than_its_whole_is_reported_at_the_part():
    problem = only_problem(upload({"TZ01": {"planning_area_km2": 1.0, "construction_area_km2": 1.5}}))
    assert (problem.row, problem.column, problem.indicator) == (5, BUILT, "construction_area_km2")
    assert "大于规划面积" in problem.message_zh and "cannot exceed its whole" in problem.message_en


def test_a_part_is_not_compared_with_a_whole_left_blank():
    assert upload({"TZ01": {"construction_area_km2": 1.5}}).ok


CUMULATIVE = programme_with(
    "tongzhou-characteristic-towns.yaml", "tongzhou-cumulative",
    {"id": "funds_to_date", "label": {"zh": "扶持资金累计", "en": "Support funds to date"}, "unit": "万元",
     "cumulative": True},
)


def test_a_running_total_below_the_previous_period_is_caught():
    previous = {"TZ01": {"funds_to_date": 800.0}, "TZ02": {"funds_to_date": 500.0}}
    result = upload({"TZ01": {"funds_to_date": 750}, "TZ02": {"funds_to_date": 500}}, policy=CUMULATIVE, previous=previous)
    problem = only_problem(result)
    assert (problem.row, problem.indicator) == (5, "funds_to_date")
    assert "800" in problem.message_zh and "cannot fall" in problem.message_en


def test_a_running_total_that_grows_or_has_no_previous_value_is_accepted():
    result = upload({"TZ01": {"funds_to_date": 900}, "TZ02": {"funds_to_date": 10}}, policy=CUMULATIVE,
                    previous={"TZ01": {"funds_to_date": 800.0}})
    assert result.ok and values_of(result)["TZ01"]["funds_to_date"] == 900


def test_a_figure_that_is_not_a_running_total_may_fall():
    assert upload({"TZ01": {"planning_area_km2": 2.0}}, previous={"TZ01": {"planning_area_km2": 3.0}}).ok


def test_an_unknown_town_id_is_reported_in_column_a():
    problem = only_problem(upload({"TZ01": {"planning_area_km2": 3}, "TZ77": {"planning_area_km2": 3}}))
    assert (problem.sheet, problem.row, problem.column, problem.indicator) == (R, 7, "A", "town_id")
    assert "TZ77" in problem.message_zh


def test_any_town_id_is_accepted_when_no_town_list_is_given():
    result = upload({"TZ77": {"planning_area_km2": 3}}, towns=None)
    assert result.ok and result.towns == ("TZ77",)


def test_a_town_twice_is_reported_naming_both_rows():
    def twice(wb):
        ws = wb[R]
        ws.cell(7, 1, "TZ01")
        ws.cell(7, AREA_INDEX, 2.0)

    problem = only_problem(upload({"TZ01": {"planning_area_km2": 3}}, edit=twice))
    assert (problem.row, problem.column) == (7, "A")
    assert "第 5 行和第 7 行" in problem.message_zh


def test_figures_without_a_town_id_are_reported():
    problem = only_problem(upload({"TZ01": {"planning_area_km2": 3}}, edit=lambda wb: wb[R].cell(9, AREA_INDEX, 4.0)))
    assert (problem.row, problem.column, problem.indicator) == (9, "A", "town_id")


def test_an_untouched_template_is_an_empty_report():
    problem = only_problem(upload({}))
    assert problem.sheet == R and "没有任何小镇的数据" in problem.message_zh


def test_a_template_of_another_period_is_refused_at_the_header():
    problem = only_problem(upload({"TZ01": {"planning_area_km2": 3}}, period="2025Q4"))
    assert (problem.sheet, problem.row, problem.column) == (R, 1, "B")
    assert "2025Q3" in problem.message_zh and "2025Q4" in problem.message_en


def test_a_template_of_another_programme_is_refused_without_listing_every_column():
    data = fill(build_template(ZHEJIANG, PERIOD, TOWNS), {"TZ01": {"investment": 3}})
    problem = only_problem(read_report(data, TONGZHOU, PERIOD))
    assert (problem.row, problem.column) == (1, "D")
    assert "zhejiang-towns" in problem.message_zh and "tongzhou-towns" in problem.message_en


def test_a_workbook_not_made_by_the_system_is_refused():
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = R
    wb.active.append(["town_id", "investment"])
    out = io.BytesIO()
    wb.save(out)
    problem = only_problem(read_report(out.getvalue(), TONGZHOU, PERIOD))
    assert "不是本系统生成的报送模板" in problem.message_zh


def test_bytes_that_are_not_a_workbook_give_one_problem_not_a_traceback():
    problem = only_problem(read_report(b"town_id,investment\nTZ01,3\n", TONGZHOU, PERIOD))
    assert problem.sheet is None and "Excel" in problem.message_zh


def test_a_missing_report_sheet_is_reported():
    def rename(wb):
        wb[R].title = "Sheet1"

    problem = only_problem(upload({"TZ01": {"planning_area_km2": 3}}, edit=rename))
    assert problem.sheet == R and "缺少工作表" in problem.message_zh


def test_a_deleted_indicator_column_and_an_unknown_one_are_both_reported():
    def tamper(wb):
        ws = wb[R]
        ws.delete_cols(AREA_INDEX)
        ws.cell(4, 40, "gdp")

    result = upload({"TZ01": {"town_parlour": "是"}}, edit=tamper)
    assert (R, 4, "AN", "gdp") in cells(result)
    assert (R, 4, None, "planning_area_km2") in cells(result)


def test_every_problem_is_collected_not_just_the_first():
    result = upload({
        "TZ01": {"planning_area_km2": -1, "town_parlour": "maybe", "scenic_standard_level": 2.5},
        "TZ02": {"planning_area_km2": 1, "construction_area_km2": 2},
    })
    assert cells(result) == [
        (R, 5, AREA, "planning_area_km2"),
        (R, 5, PARLOUR, "town_parlour"),
        (R, 5, SCENIC, "scenic_standard_level"),
        (R, 6, BUILT, "construction_area_km2"),
    ]


def test_a_failed_upload_yields_no_rows_even_for_its_good_towns():
    result = upload(
        {"TZ01": {"planning_area_km2": 3.2, "investment": 2}, "TZ02": {"planning_area_km2": -1}},
        [("TZ01", "产业园", "特色产业", 5, 2)],
    )
    assert not result.ok
    assert (result.values, result.ledger, dict(result.counted_investment), result.towns) == ((), (), {}, ())


def test_blank_rows_between_towns_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    def gap(wb):
        ws = wb[R]
        ws.cell(9, 1, "TZ02")
        ws.cell(9, AREA_INDEX, -2)
        ws.cell(6, 1).value = None
        ws.cell(6, 2).value = None

    problem = only_problem(upload({"TZ01": {"planning_area_km2": 3}}, edit=gap))
    assert (problem.row, problem.column) == (9, AREA)


def test_a_report_can_be_read_from_a_path(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(fill(build_template(TONGZHOU, PERIOD, TOWNS), {"TZ02": {"town_parlour": "否"}}))
    assert values_of(read_report(path, TONGZHOU, PERIOD)) == {"TZ02": {"town_parlour": False}}


def test_problems_read_as_a_sentence_with_the_cell():
    problem = only_problem(upload({"TZ02": {"planning_area_km2": -3}}))
    assert str(problem).startswith(f"工作表 sheet {R}, 第 6 行 row 6, 单元格 cell F6 (planning_area_km2): -3 为负数")
    assert LEDGER_SHEET != R
