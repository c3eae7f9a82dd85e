"""Fuzzing the readers: whatever a file holds, reading it returns rows or raises FactsError — nothing else.

Valid random rows written as CSV, XLSX or JSON read back to the frame the
records give directly.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from xiaozhen.facts import FactsError, frame_from_records, read_facts
from xiaozhen.policy import get_policy

POLICY = get_policy("tongzhou-towns")
EXAMPLE_XLSX = Path(__file__).resolve().parents[2] / "examples" / "tongzhou-towns" / "application.xlsx"
#: XIAOZHEN_FUZZ_EXAMPLES=5000 fuzzes harder (the default keeps the suite quick).
EXAMPLES_PER_TEST = int(os.environ.get("XIAOZHEN_FUZZ_EXAMPLES", "80"))
FUZZ = settings(max_examples=EXAMPLES_PER_TEST, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
COLUMNS = ["town_id", "town_name", "category", "period", "basis", "tier", "investment", "residential_investment",
           "feature_investment", "town_parlour", "scenic_standard_level", "planning_area_km2", "bogus"]


def _read_or_facts_error(path: Path) -> pl.DataFrame | None:
    try:
        frame = read_facts(path, POLICY)
    except FactsError as exc:
        assert exc.problems, "a FactsError always says what is wrong"
        for problem in exc.problems:
            assert str(problem).startswith(str(path)), "every problem names the file"
        return None
    assert isinstance(frame, pl.DataFrame)
    return frame


# Text openpyxl can store: no control characters other than tab and newline.
_cell_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=12)
_cell = st.one_of(
    st.none(),
    _cell_text,
    st.sampled_from(["是", "否", "2018", "2019Q3", "plan", "actual", "创建", "高端制造", "72%", "-1", "1e400", "nan", "inf", ""]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
_grid = st.builds(
    lambda with_header, width, rows: ([COLUMNS[:width]] if with_header else []) + rows,
    st.booleans(),
    st.integers(1, len(COLUMNS)),
    st.lists(st.lists(_cell, max_size=len(COLUMNS) + 2), max_size=8),
)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".json", ".xlsx", ".xls"]))
def test_random_bytes_as_a_file_give_rows_or_a_facts_error(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    _read_or_facts_error(path)


@FUZZ
@given(data=st.data())
def test_a_damaged_workbook_gives_rows_or_a_facts_error(tmp_path, data):
    raw = bytearray(EXAMPLE_XLSX.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(raw) // 2, len(raw)))
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(raw[:cut]))
    _read_or_facts_error(path)


@FUZZ
@given(grid=_grid)
def test_random_cells_in_a_csv_give_rows_or_a_facts_error(tmp_path, grid):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if c is None else c for c in row] for row in grid])
    path = tmp_path / "cells.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _read_or_facts_error(path)


@FUZZ
@given(grid=_grid)
def test_random_cells_in_a_workbook_give_rows_or_a_facts_error(tmp_path, grid):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in grid:
        # Text starting with "=" would be stored as a formula; keep the fuzzing on values.
        sheet.append([c if not (isinstance(c, str) and c.startswith("=")) else "'" + c for c in row])
    path = tmp_path / "cells.xlsx"
    workbook.save(path)
    _read_or_facts_error(path)


_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _cell_text,
                         st.sampled_from(["2018", "是", "plan", "高端制造"]))
_json = st.recursive(
    _json_scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(COLUMNS) | _cell_text, inner, max_size=6),
    max_leaves=30,
)


@FUZZ
@given(doc=st.one_of(_json, st.lists(st.dictionaries(st.sampled_from(COLUMNS), _json_scalar, max_size=8), max_size=6)),
       wrap=st.booleans())
def test_random_json_gives_rows_or_a_facts_error(tmp_path, doc, wrap):
    path = tmp_path / "random.json"
    path.write_text(json.dumps({"rows": doc} if wrap else doc, ensure_ascii=False), encoding="utf-8")
    _read_or_facts_error(path)


# ---------------------------------------------------------------- round trip

_amount = st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 6)))


@st.composite
def valid_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    towns = draw(st.lists(st.text("ABCXYZ甲乙丙0123456789", min_size=1, max_size=4), min_size=1, max_size=3, unique=True))
    for town in towns:
        category = draw(st.sampled_from([c.label.zh for c in POLICY.categories]))
        years = draw(st.lists(st.integers(2015, 2030), min_size=1, max_size=3, unique=True))
        for year in years:
            for basis in draw(st.lists(st.sampled_from(["plan", "actual"]), min_size=1, max_size=2, unique=True)):
                investment = draw(_amount)
                row = {
                    "town_id": town,
                    "town_name": f"{town}小镇",
                    "category": category,
                    "period": str(year),
                    "basis": basis,
                    "tier": draw(st.sampled_from([None, *[t.label.zh for t in POLICY.lifecycle.tiers]])),
                    "investment": investment,
                    "residential_investment": None if investment is None else draw(st.floats(0, 1)) * investment,
                    "town_parlour": draw(st.sampled_from([None, True, False])),
                    "scenic_standard_level": draw(st.sampled_from([None, 3, 4, 5])),
                }
                rows.append(row)
    return rows


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return repr(value) if isinstance(value, float) else str(value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=valid_rows(), fmt=st.sampled_from(["csv", "xlsx", "json"]))
def test_valid_random_rows_round_trip_through_every_format(tmp_path, rows, fmt):
    expected = frame_from_records(POLICY, rows)
    header = list(rows[0])
    path = tmp_path / f"rows.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *[[_as_text(r[c]) for c in header] for r in rows]])
    elif fmt == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(header)
        for r in rows:
            sheet.append([("是" if r[c] else "否") if isinstance(r[c], bool) else r[c] for c in header])
        workbook.save(path)
    else:
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert_frame_equal(read_facts(path, POLICY), expected)
