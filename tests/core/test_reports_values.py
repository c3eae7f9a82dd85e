"""check_values: a mapping of values is checked with exactly the workbook's rules."""

from __future__ import annotations

from xiaozhen.policy import get_policy
from xiaozhen.reports import VALUES_SHEET, check_values, read_report

TONGZHOU = get_policy("tongzhou-towns")


def _ledger(residential: float = 1.0) -> list[dict]:
    return [
        {"town_id": "T1", "project_name": "产业园", "project_type": "特色产业", "planned_investment": 20,
         "completed_investment": 2},
        {"town_id": "T1", "project_name": "公寓", "project_type": "residential", "planned_investment": 5,
         "completed_investment": residential},
    ]


def test_values_that_agree_with_the_ledger_come_back_typed_with_the_counted_investment():
    upload = check_values({"T1": {"investment": "3", "feature_investment": 2, "residential_investment": "1亿元",
                                  "town_parlour": "是"}}, TONGZHOU, "2025Q3", ledger_rows=_ledger(), towns={"T1"})
    assert upload.ok, upload.summary()
    assert {v.indicator: v.value for v in upload.values}["town_parlour"] is True
    assert upload.counted_investment["T1"] == 2.0  # the residential project does not count (003 §三(四))
    assert [p.row for p in upload.ledger] == [1, 2]


def test_problems_are_located_by_indicator_and_ledger_rows_by_their_number():
    upload = check_values({"T1": {"investment": "-3", "planning_area_km2": "3 亩"}}, TONGZHOU, "2025Q3",
                          ledger_rows=[{**_ledger()[0], "completed_investment": "很多"}])
    assert not upload.ok and not upload.values
    where = {(p.sheet, p.row, p.indicator) for p in upload.problems}
    assert (VALUES_SHEET, None, "investment") in where
    assert (VALUES_SHEET, None, "planning_area_km2") in where
    assert ("项目台账 Ledger", 1, "completed_investment") in where


def test_the_same_figure_gets_the_same_message_online_and_in_excel(tmp_path):
    import io

    from openpyxl import load_workbook

    from xiaozhen.reports import build_template

    xlsx = build_template(TONGZHOU, "2025Q3", {"T1": "川姜"})
    book = load_workbook(io.BytesIO(xlsx))
    sheet = book["报送 Report"]
    col = next(c.column for c in sheet[4] if c.value == "planning_area_km2")
    sheet.cell(row=5, column=col, value="-2")
    out = io.BytesIO()
    book.save(out)
    excel = read_report(out.getvalue(), TONGZHOU, "2025Q3", towns={"T1"})
    online = check_values({"T1": {"planning_area_km2": "-2"}}, TONGZHOU, "2025Q3", towns={"T1"})
    assert [p.message for p in excel.problems] == [p.message for p in online.problems]


def test_a_running_total_below_the_previous_value_is_refused(monkeypatch):
    policy = TONGZHOU.model_copy(deep=True)
    indicator = policy.indicator("planning_area_km2")
    object.__setattr__(indicator, "cumulative", True)
    upload = check_values({"T1": {"planning_area_km2": "2"}}, policy, "2025Q3", {"T1": {"planning_area_km2": 3.0}})
    assert [p.indicator for p in upload.problems] == ["planning_area_km2"]
    assert "running total" in upload.problems[0].message_en


def test_a_town_outside_the_uploaders_scope_is_refused():
    upload = check_values({"T9": {"planning_area_km2": "2"}}, TONGZHOU, "2025Q3", towns={"T1"})
    assert [p.indicator for p in upload.problems] == ["town_id"]


def test_nothing_given_is_a_problem_not_an_empty_success():
    upload = check_values({"T1": {"planning_area_km2": ""}}, TONGZHOU, "2025Q3")
    assert not upload.ok


# --- the same rules, whatever the figures -------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CELLS = st.one_of(
    st.none(), st.sampled_from(["3.2", "-1", "72%", "72", "0.4", "是", "否", "maybe", "5000万元", "2 亿元", "1e3", " "]),
    st.floats(min_value=-5, max_value=50, allow_nan=False).map(lambda x: round(x, 2)), st.booleans(),
)
_INDICATORS = ["investment", "feature_investment", "residential_investment", "planning_area_km2",
               "construction_area_km2", "town_parlour", "scenic_standard_level"]


def _workbook_with(values: dict) -> bytes:
    import io

    from openpyxl import load_workbook

    from xiaozhen.reports import build_template

    book = load_workbook(io.BytesIO(build_template(TONGZHOU, "2025Q3", {"T1": "川姜"})))
    sheet = book["报送 Report"]
    columns = {c.value: c.column for c in sheet[4]}
    for ident, value in values.items():
        sheet.cell(row=5, column=columns[ident], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({ident: _CELLS for ident in _INDICATORS}))
def test_online_and_excel_give_the_same_verdict_for_the_same_figures(values):
    excel = read_report(_workbook_with(values), TONGZHOU, "2025Q3", towns={"T1"})
    online = check_values({"T1": values}, TONGZHOU, "2025Q3", towns={"T1"})
    # Cell by cell the same words; a sheet-wide problem (nothing given at all) is worded for where it is.
    assert sorted((p.indicator, p.message) for p in excel.problems if p.indicator) == sorted(
        (p.indicator, p.message) for p in online.problems if p.indicator)
    assert excel.ok == online.ok
    assert sorted(excel.values) == sorted(online.values)


def test_workbook_cells_gives_the_raw_cells_of_a_refused_workbook_for_a_draft():
    from xiaozhen.reports import workbook_cells

    data = _workbook_with({"investment": "约2亿", "town_parlour": "是", "planning_area_km2": 3.2})
    values, ledger = workbook_cells(data, TONGZHOU)
    assert values == {"T1": {"investment": "约2亿", "town_parlour": "是", "planning_area_km2": 3.2}}
    assert ledger == []
    assert workbook_cells(b"not a workbook", TONGZHOU) is None


def test_an_implausible_figure_is_refused_once_at_the_door_with_its_row_and_column():
    """A-levels run 1–5: a 7 in the workbook is reported by the report reader, at its cell, with the
    message the facts reader would give (one home: xiaozhen.facts.plausibility_problem)."""
    import io

    from openpyxl import load_workbook

    from xiaozhen.facts import FactsError, frame_from_records
    from xiaozhen.reports import build_template

    xlsx = build_template(TONGZHOU, "2025Q3", {"T1": "川姜"})
    book = load_workbook(io.BytesIO(xlsx))
    sheet = book["报送 Report"]
    col = next(c.column for c in sheet[4] if c.value == "scenic_standard_level")
    sheet.cell(row=5, column=col, value=7)
    out = io.BytesIO()
    book.save(out)
    upload = read_report(out.getvalue(), TONGZHOU, "2025Q3", towns={"T1"})
    about = [p for p in upload.problems if p.indicator == "scenic_standard_level"]
    assert len(about) == 1 and not upload.values
    assert (about[0].row, about[0].column) == (5, sheet.cell(row=5, column=col).column_letter)
    try:
        frame_from_records(TONGZHOU, [{"town_id": "T1", "period": "2025Q3", "basis": "actual",
                                       "scenic_standard_level": 7}], source="facts.csv")
    except FactsError as exc:
        assert about[0].message in [p.message for p in exc.problems]
    else:
        raise AssertionError("the facts reader must refuse the same figure")
    assert check_values({"T1": {"scenic_standard_level": "3"}}, TONGZHOU, "2025Q3", towns={"T1"}).ok
