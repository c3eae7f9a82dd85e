"""A grade beside its score says which decided it: the score band, or a veto (002 §三(四))."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaozhen.engine import grade_basis
from xiaozhen.policy import get_policy

AT = dt.date(2025, 12, 31)
RED_LINES = (("严守三条控制线", "Stays clear of the three control lines", "002 §三(四)"),)


@pytest.fixture(scope="module")
def zhejiang():
    return get_policy("zhejiang-towns")


@pytest.mark.parametrize(("score", "tier", "grade", "line"), [
    (100.0, "creation", "优秀", "100 ≥ 90"),
    (90.0, "creation", "优秀", "90 ≥ 90"),
    (89.99, "creation", "良好", "89.99 ≥ 80"),
    (80.0, "creation", "良好", "80 ≥ 80"),
    (60.0, "cultivation", "合格", "60 ≥ 60"),
    (59.99, "cultivation", "警告", "59.99 ≥ 50"),
    (50.0, "creation", "警告", "50 ≥ 50"),
    (49.99, "creation", "降格", "49.99 < 50"),
    (49.99, "cultivation", "淘汰", "49.99 < 50"),
    (89.999, "creation", "良好", "89.999 ≥ 80"),
])
def test_a_grade_by_the_score_names_the_band_and_its_line(zhejiang, score, tier, grade, line):
    basis = grade_basis(zhejiang, grade=grade, score=score, tier=tier, at=AT)
    assert basis is not None and not basis.vetoed and basis.by_score == grade
    assert basis.explain() == f"{grade}：得分 {line}，{basis.band.label_zh}（002 §三(四)）"
    assert basis.band.label_zh == zhejiang.parameter(basis.band.parameter).label.zh  # the line by its name, not its id


def test_a_red_line_veto_says_the_score_did_not_decide_the_grade(zhejiang):
    basis = grade_basis(zhejiang, grade="淘汰", score=97.97543976103552, tier="cultivation", at=AT, failed=RED_LINES)
    assert basis.vetoed and basis.by_score == "优秀"
    assert basis.explain() == ("淘汰：一票否决——严守三条控制线未达到（002 §三(四)）；得分 97.98 按分数线本为优秀"
                               "（97.98 ≥ 90，年度考核优秀分数线），不据以评定等次")
    assert "vetoed — Stays clear of the three control lines not met (002 §三(四))" in basis.explain("en")


def test_the_same_score_graded_by_band_and_by_veto_reads_consistently(zhejiang):
    excellent = grade_basis(zhejiang, grade="优秀", score=97.6, tier="creation", at=AT)
    demoted = grade_basis(zhejiang, grade="降格", score=97.6, tier="creation", at=AT, failed=RED_LINES)
    assert (excellent.vetoed, demoted.vetoed) == (False, True)
    assert excellent.by_score == demoted.by_score == "优秀"


def test_no_grade_or_no_score_has_no_basis(zhejiang):
    assert grade_basis(zhejiang, grade=None, score=95.0, tier="creation", at=AT) is None
    assert grade_basis(zhejiang, grade="优秀", score=None, tier="creation", at=AT) is None


def test_a_programme_without_score_bands_has_no_basis():
    assert grade_basis(get_policy("tongzhou-towns"), grade="x", score=1.0, tier="creation", at=AT) is None
