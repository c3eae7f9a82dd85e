"""The core report reader (behind the web upload, the bulk upload and drafts) takes the hostile corpus:
every file is refused with problems and no rows, or read safely; nothing raises."""

from __future__ import annotations

import pytest
from tests.hostile import CORPUS, Hostile, Shape

from xiaozhen.reports import build_template, read_report, workbook_cells

from .test_reports_support import PERIOD, TONGZHOU, TOWNS

SHAPE = Shape(
    build_template(TONGZHOU, PERIOD, TOWNS), "TZ01", "tongzhou-towns", PERIOD, "investment", "亿元",
    {"investment": 3.0, "feature_investment": 2.0, "residential_investment": 1.0, "planning_area_km2": "3.2",
     "town_parlour": "是"},
    [{"project_name": "家纺产业园二期", "project_type": "feature_industry", "planned_investment": 20,
      "completed_investment": 2.0},
     {"project_name": "川姜人才公寓", "project_type": "residential", "planned_investment": 5, "completed_investment": 1.0}],
)
SMALL = [h for h in CORPUS if h.name not in ("docx-bomb",)]  # 300 MB to build; the web test covers it


@pytest.mark.parametrize("hostile", SMALL, ids=[h.name for h in SMALL])
def test_the_report_reader_refuses_each_hostile_file_with_problems_and_no_rows(hostile: Hostile):
    result = read_report(hostile.make(SHAPE), TONGZHOU, PERIOD, towns=TOWNS)
    if hostile.must_refuse:
        assert not result.ok and not result.values and not result.ledger
    assert all(p.message_zh and p.message_en for p in result.problems)


def test_a_draft_keeps_a_control_character_as_a_replacement_character_not_as_nul():
    data = next(h for h in CORPUS if h.name == "nul-in-cell").make(SHAPE)
    _, ledger = workbook_cells(data, TONGZHOU) or ({}, [])
    assert ledger[0]["project_name"] == "家纺\ufffd园"


def test_a_draft_of_a_bomb_is_not_read_at_all():
    assert workbook_cells(next(h for h in CORPUS if h.name == "xfd-cell").make(SHAPE), TONGZHOU) is None
