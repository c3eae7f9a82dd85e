"""统一社会信用代码 (GB 32100-2015) check character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaozhen.codes import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    credit_code_problems,
    is_valid_credit_code,
)

# The worked example printed in GB 32100-2015, and codes of well-known companies.
REAL_CODES = ["91350100M000100Y43", "914403001922038216", "9144030071526726XG"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code):
    assert credit_code_problems(code) == []


def test_lower_case_and_surrounding_spaces_are_accepted():
    assert is_valid_credit_code(" 9144030071526726xg ")


def test_a_wrong_check_character_names_the_expected_one():
    problems = credit_code_problems("91350100M000100Y44")
    assert [p.position for p in problems] == [18]
    assert "'3'" in problems[0].en and "“3”" in problems[0].zh


def test_a_short_code_reports_its_length():
    (problem,) = credit_code_problems("91350100M000100Y4")
    assert "17" in problem.en and "17" in problem.zh


def test_letters_never_used_are_reported_with_their_position():
    problems = credit_code_problems("91350100M0001O0Y43")
    assert [p.position for p in problems] == [14]


def test_the_region_part_must_be_digits():
    body = "91A50100M000100Y4"
    problems = credit_code_problems(body + credit_code_check_char(body))
    assert [p.position for p in problems] == [3]


codes17 = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17).map(
    lambda s: s[:2] + "".join(c if c.isdigit() else "1" for c in s[2:8]) + s[8:]
)


@given(codes17)
def test_any_code_with_its_computed_check_character_is_valid(first17):
    assert is_valid_credit_code(first17 + credit_code_check_char(first17))


@given(codes17, st.integers(0, 16), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_changing_any_one_character_is_detected(first17, position, replacement):
    code = first17 + credit_code_check_char(first17)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code and changed[2:8].isdigit():
        assert not is_valid_credit_code(changed)
