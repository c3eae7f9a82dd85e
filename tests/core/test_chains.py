"""Industry-chain templates (产业链全景图, 002 §二(四)1): the shipped files, codes, placement and gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiaozhen.chains import (
    ChainProblem,
    Firm,
    IndustryCodeError,
    chain_for,
    load_chain,
    load_chains,
    normalise_industry_code,
    place,
)
from xiaozhen.policy import load_all

TONGZHOU_CATEGORIES = ["high_end_manufacturing", "next_gen_it", "creative_startup", "health_elderly_care",
                       "modern_agriculture", "tourism", "historic_classic", "other"]


def test_every_tongzhou_category_and_two_zhejiang_industries_have_a_chain() -> None:
    chains = load_chains()
    for category in TONGZHOU_CATEGORIES:
        assert chain_for(chains, "tongzhou-towns", category) is not None, category
    zhejiang = [c for c in ("digital_economy", "fashion") if chain_for(chains, "zhejiang-towns", c)]
    assert zhejiang == ["digital_economy", "fashion"]


def test_every_chain_names_a_real_programme_category() -> None:
    policies = load_all()
    for chain in load_chains():
        for target in chain.applies_to:
            policy = policies[target.programme]
            assert target.category in {c.id for c in policy.categories}, (chain.id, target)


@pytest.mark.parametrize(("code", "digits"), [("C3451", "3451"), ("c34", "34"), ("3973", "3973"), (" I652 ", "652")])
def test_industry_codes_are_read_with_or_without_their_section_letter(code: str, digits: str) -> None:
    assert normalise_industry_code(code) == digits


@pytest.mark.parametrize(("code", "says"), [
    ("X34", "GB/T 4754"),      # no such section
    ("C6", "GB/T 4754"),       # one digit
    ("C65", "section I"),      # division 65 is software, section I
    ("98", "no division 98"),  # divisions stop at 97
])
def test_a_wrong_industry_code_is_named_with_what_is_wrong(code: str, says: str) -> None:
    with pytest.raises(IndustryCodeError, match=says):
        normalise_industry_code(code)


def test_a_chain_file_with_a_wrong_code_names_the_file_and_line(tmp_path: Path) -> None:
    good = (Path(__file__).resolve().parents[2] / "chains" / "tourism.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.replace("code: H62", "code: C62"), encoding="utf-8")
    with pytest.raises(ChainProblem) as caught:
        load_chain(bad)
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if "C62" in text)
    assert f"bad.yaml:{line}" in str(caught.value)
    assert "section H" in str(caught.value)


def test_firms_go_to_the_most_specific_segment_and_empty_or_thin_segments_are_gaps() -> None:
    chain = chain_for(load_chains(), "tongzhou-towns", "high_end_manufacturing")
    assert chain is not None and chain.weak_below == 2
    firms = [
        Firm("南通精密轴承", "91320612MA1XXXXXX1", "C3451"),  # C345 (components) beats C34 (equipment)
        Firm("通州重工", "", "C3411"),
        Firm("通州数控", "", "3421"),
        Firm("江海电气", "", "C3811"),
        Firm("江海纺织", "", "C1711"),  # not in this chain
        Firm("无码企业", "", ""),
    ]
    panorama = place(chain, firms)
    by_id = {s.segment.id: s for s in panorama.segments}
    assert [f.name for f in by_id["components"].firms] == ["南通精密轴承"]
    assert by_id["equipment"].count == 2 and by_id["equipment"].strength == "present"
    # exactly one firm is one below the weak line of 2: weak; none: a gap
    assert by_id["control"].count == 1 and by_id["control"].strength == "weak"
    assert by_id["materials"].strength == "gap"
    assert [f.name for f in panorama.outside] == ["江海纺织"]
    assert [f.name for f, _ in panorama.unreadable] == ["无码企业"]
    assert [s.segment.id for s in panorama.gaps] == ["materials", "components", "control", "design_testing",
                                                       "services"]
    assert panorama.placed == 4
