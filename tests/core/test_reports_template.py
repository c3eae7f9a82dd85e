"""The report workbook: what a county clerk sees, and that what they type comes back unchanged."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiaozhen.policy import Indicator, Policy, load_all
from xiaozhen.reports import (
    LEDGER_SHEET,
    PREVIOUS_SHEET,
    PROJECT_TYPES,
    README_SHEET,
    REPORT_SHEET,
    build_template,
    read_report,
)

from .test_reports_support import (
    PERIOD,
    TONGZHOU,
    TOWNS,
    ZHEJIANG,
    fill,
    id_columns,
    town_rows,
    values_of,
)

REPORTED = [i for i in TONGZHOU.indicators if i.kind == "reported"]


def open_template(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def validations_of(ws: Any) -> list[Any]:
    return list(ws.data_validations.dataValidation)


def test_template_has_a_report_ledger_previous_and_instructions_sheet():
    wb = open_template(build_template(TONGZHOU, PERIOD, TOWNS))
    assert wb.sheetnames == [REPORT_SHEET, LEDGER_SHEET, PREVIOUS_SHEET, README_SHEET]
    assert wb.active.title == REPORT_SHEET


def test_report_sheet_has_one_row_per_town_and_one_column_per_reported_indicator():
    ws = open_template(build_template(TONGZHOU, PERIOD, TOWNS))[REPORT_SHEET]
    ids = [c.value for c in ws[4]]
    assert ids == ["town_id", "town_name", *(i.id for i in REPORTED)]
    assert "counted_investment" not in ids  # derived: the engine computes it
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in (5, 6)] == list(TOWNS.items())
    assert ws.cell(7, 1).value is None


def test_headers_are_chinese_then_english_with_unit_and_the_id_row_is_hidden():
    ws = open_template(build_template(TONGZHOU, PERIOD, TOWNS))[REPORT_SHEET]
    col = id_columns(ws, 4)["investment"]
    assert ws.cell(2, col).value == "项目投资"
    assert ws.cell(3, col).value == "Project investment (亿元)"
    assert ws.row_dimensions[4].hidden
    assert not ws.row_dimensions[2].hidden and not ws.row_dimensions[3].hidden


def test_header_names_the_period_and_the_programme():
    ws = open_template(build_template(TONGZHOU, "2025q3", TOWNS))[REPORT_SHEET]
    assert [ws.cell(1, c).value for c in range(1, 5)] == ["报送期间 Period", "2025Q3", "项目 Programme", "tongzhou-towns"]


def test_a_town_list_may_be_given_as_pairs_in_the_order_to_show():
    ws = open_template(build_template(TONGZHOU, PERIOD, [("TZ09", "九号小镇"), ("TZ03", "三号小镇")]))[REPORT_SHEET]
    assert list(town_rows(ws)) == ["TZ09", "TZ03"]


def test_yes_no_cells_offer_a_是否_drop_down():
    ws = open_template(build_template(TONGZHOU, PERIOD, TOWNS))[REPORT_SHEET]
    col = id_columns(ws, 4)["town_parlour"]
    letter = openpyxl.utils.get_column_letter(col)
    lists = [dv for dv in validations_of(ws) if dv.type == "list"]
    covering = [dv for dv in lists if f"{letter}5" in dv.sqref]
    assert len(covering) == 1
    assert covering[0].formula1 == '"是,否"'


def test_every_indicator_column_has_an_input_hint_with_its_unit():
    ws = open_template(build_template(TONGZHOU, PERIOD, TOWNS))[REPORT_SHEET]
    col = id_columns(ws, 4)["investment"]
    letter = openpyxl.utils.get_column_letter(col)
    (dv,) = [dv for dv in validations_of(ws) if f"{letter}5" in dv.sqref]
    assert dv.promptTitle == "项目投资"
    assert "亿元" in dv.prompt and "this period only" in dv.prompt


def test_previous_values_prefill_levels_but_never_a_periods_flow():
    previous = {"TZ01": {"planning_area_km2": 3.2, "town_parlour": True, "investment": 4.5}}
    ws = open_template(build_template(TONGZHOU, PERIOD, TOWNS, previous))[REPORT_SHEET]
    cols = id_columns(ws, 4)
    assert ws.cell(5, cols["planning_area_km2"]).value == 3.2
    assert ws.cell(5, cols["town_parlour"]).value == "是"
    # Investment is summed over the year's quarters: last quarter's figure is not this quarter's.
    assert ws.cell(5, cols["investment"]).value is None
    assert ws.cell(6, cols["planning_area_km2"]).value is None


def test_previous_sheet_shows_every_previous_value_for_reference():
    previous = {"TZ02": {"planning_area_km2": 2.9, "investment": 4.5, "public_wifi_full": False}}
    ws = open_template(build_template(TONGZHOU, PERIOD, TOWNS, previous))[PREVIOUS_SHEET]
    cols = id_columns(ws, 4)
    row = town_rows(ws)["TZ02"]
    assert (ws.cell(row, cols["investment"]).value, ws.cell(row, cols["planning_area_km2"]).value) == (4.5, 2.9)
    assert ws.cell(row, cols["public_wifi_full"]).value == "否"
    assert "not read back" in ws.cell(1, 2).value


def test_a_template_with_previous_values_reads_back_those_carried_over():
    previous = {"TZ01": {"planning_area_km2": 3.2, "town_parlour": True}}
    upload = read_report(build_template(TONGZHOU, PERIOD, TOWNS, previous), TONGZHOU, PERIOD, previous)
    assert upload.ok, upload.summary()
    assert values_of(upload) == {"TZ01": {"planning_area_km2": 3.2, "town_parlour": True}}


def test_ledger_sheet_has_its_columns_and_a_drop_down_of_the_four_project_types():
    ws = open_template(build_template(TONGZHOU, PERIOD, TOWNS))[LEDGER_SHEET]
    assert [c.value for c in ws[3]] == [
        "town_id", "project_name", "project_type", "planned_investment", "completed_investment",
    ]
    assert ws.row_dimensions[3].hidden
    assert ws.cell(1, 5).value == "本期完成投资(亿元)"
    (types,) = [dv for dv in validations_of(ws) if "C4" in dv.sqref]
    assert types.formula1 == '"特色产业 Feature industry,其他 Other,住宅 Residential,商业综合体 Commercial complex"'
    assert len(PROJECT_TYPES) == 4


def test_instructions_are_in_chinese_and_english_and_list_every_indicator():
    ws = open_template(build_template(ZHEJIANG, PERIOD, TOWNS))[README_SHEET]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("空白表示未知" in t for t in texts) and any("A blank means unknown" in t for t in texts)
    assert any("住宅、商业综合体项目不计入考核投资" in t for t in texts)
    reported = [i.id for i in ZHEJIANG.indicators if i.kind == "reported"]
    assert set(reported) <= set(texts)


def test_a_period_that_is_neither_a_year_nor_a_quarter_is_refused_when_building():
    with pytest.raises(ValueError, match="2025Q3"):
        build_template(TONGZHOU, "2025-09", TOWNS)


@pytest.mark.parametrize("policy_id", sorted(load_all()))
def test_every_shipped_programme_gets_a_template_that_reads_back_filled(policy_id):
    policy = load_all()[policy_id]
    figures = {ind.id: typical_value(ind) for ind in policy.indicators if ind.kind == "reported"}
    figures = within_wholes(policy, figures)
    data = fill(build_template(policy, PERIOD, {"T1": "一号"}), {"T1": figures}, ledger=ledger_matching(policy, figures))
    upload = read_report(data, policy, PERIOD, towns=["T1"])
    assert upload.ok, upload.summary()
    assert values_of(upload)["T1"] == pytest.approx(expected(policy, figures))


def typical_value(ind: Indicator) -> Any:
    """A figure of the indicator's type inside its plausible range (an A-level of 7 is refused at the door)."""
    value = {"amount": 2.5, "number": 3.25, "count": 7, "year": 2021, "share": 0.35, "boolean": "是", "text": "家纺"}[ind.type]
    if isinstance(value, int | float) and ind.maximum is not None and value > ind.maximum:
        value = type(value)(ind.maximum)
    if isinstance(value, int | float) and ind.minimum is not None and value < ind.minimum:
        value = type(value)(ind.minimum)
    return value


def within_wholes(policy: Policy, figures: dict[str, Any]) -> dict[str, Any]:
    """Halve each part until it fits inside its whole (parts of parts too)."""
    out = dict(figures)
    for ind in policy.indicators:
        if ind.part_of and ind.id in out:
            out[ind.id] = out[ind.part_of] / 4 if isinstance(out[ind.part_of], float) else out[ind.part_of] // 4
    return out


def ledger_matching(policy: Policy, figures: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Ledger projects that add up to the report (feature, excluded and other investment)."""
    from xiaozhen.reports import ledger_link_for

    link = ledger_link_for(policy)
    if link.total is None:
        return []
    rows: list[tuple[Any, ...]] = []
    left = float(figures[link.total])
    for ident, types in link.parts.items():
        rows.append(("T1", f"{ident} 项目", PROJECT_TYPES[types[0]][0], 10, figures[ident]))
        left -= figures[ident]
    rows.append(("T1", "其他项目", "其他", 10, round(left, 6)))
    return rows


def expected(policy: Policy, figures: dict[str, Any]) -> dict[str, Any]:
    return {k: (v == "是" if policy.indicator(k).type == "boolean" else v) for k, v in figures.items()}


# Any figures a town may type come back as typed values (Hypothesis).
_PARTS = {"residential_investment", "feature_investment"}


@st.composite
def tongzhou_figures(draw: st.DrawFn) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for ind in REPORTED:
        if ind.id in _PARTS or not draw(st.booleans()):
            continue  # blanks are allowed anywhere
        # valid means plausible too: inside the indicator's range, above 0 where it must be
        low = ind.minimum if ind.minimum is not None else 0
        if ind.type in ("amount", "number"):
            high = ind.maximum if ind.maximum is not None else 1e6
            figures[ind.id] = draw(st.floats(min_value=low, max_value=high, allow_nan=False,
                                             exclude_min=bool(ind.positive and low == 0)).map(lambda x: round(x, 4))
                                   .filter(lambda x, positive=ind.positive: x > 0 or not positive))
        elif ind.type == "count":
            figures[ind.id] = draw(st.integers(min_value=max(int(low), 1 if ind.positive else 0),
                                               max_value=int(ind.maximum) if ind.maximum is not None else 10_000))
        elif ind.type == "boolean":
            figures[ind.id] = draw(st.sampled_from(["是", "否", "yes", "NO", True, False, 1, 0]))
    if "investment" in figures:
        total = figures["investment"]
        figures["feature_investment"] = round(draw(st.floats(min_value=0, max_value=1)) * total * 0.7, 4)
        figures["residential_investment"] = round(draw(st.floats(min_value=0, max_value=0.3)) * total, 4)
    if "construction_area_km2" in figures and "planning_area_km2" in figures:
        figures["construction_area_km2"] = min(figures["construction_area_km2"], figures["planning_area_km2"])
    return figures


def as_read(ind_id: str, value: Any) -> Any:
    if TONGZHOU.indicator(ind_id).type == "boolean":
        return value in ("是", "yes", True, 1)
    return float(value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures=tongzhou_figures())
def test_any_valid_figures_a_town_types_come_back_unchanged(figures):
    ledger = []
    if "investment" in figures:
        f, r = figures["feature_investment"], figures["residential_investment"]
        ledger = [
            ("TZ01", "家纺产业园", "特色产业", 50, f),
            ("TZ01", "安置小区", "住宅 Residential", 20, r),
            ("TZ01", "道路", "other", 20, round(figures["investment"] - f - r, 4)),
        ]
    upload = read_report(fill(build_template(TONGZHOU, PERIOD, TOWNS), {"TZ01": figures}, ledger), TONGZHOU, PERIOD)
    if not figures:
        assert not upload.ok  # nothing typed at all: an empty report
        return
    assert upload.ok, upload.summary()
    assert values_of(upload) == {"TZ01": {k: pytest.approx(as_read(k, v)) for k, v in figures.items()}}
    assert {v.period for v in upload.values} == {PERIOD}
    assert {v.basis for v in upload.values} == {"actual"}
