"""The one vocabulary: every id a programme declares, and the names the engine derives from them, have a
Chinese and English label; values read with their units; an unknown id comes back as itself."""

from __future__ import annotations

from xiaozhen.glossary import TERMS, Glossaries, Glossary, term, term_text
from xiaozhen.policy import get_policy, load_all


def test_every_declared_id_of_every_programme_has_its_files_label():
    for policy in load_all().values():
        words = Glossary(policy)
        for ind in policy.indicators:
            assert words.label(ind.id) == ind.label
        for tier in policy.lifecycle.tiers:
            assert words.label(tier.id) == tier.label
            assert words.value("tier", tier.id) == f"{tier.label.zh} {tier.label.en}"


def test_derived_names_read_as_words_built_from_the_indicators_label():
    policy = get_policy("tongzhou-towns")
    words = Glossary(policy)
    base = policy.indicator("counted_investment").label
    assert words.label("cum_counted_investment").zh == f"累计{base.zh}"
    assert words.label("first_counted_investment").en == f"first-year {base.en}"
    assert words.label("sum_first_3__counted_investment").zh == f"前3年{base.zh}合计"
    window = words.label("sum_first_investment_window_years__counted_investment").zh
    years = policy.parameter("investment_window_years").values[-1].value  # the window's length, read from its parameter
    assert window == f"前{years:g}年{base.zh}合计" and "_" not in window


def test_values_carry_their_units_and_unknown_names_stay_visible():
    words = Glossary(get_policy("tongzhou-towns"))
    assert words.value("feature_investment_share", 0.88888) == "88.89%"
    assert words.value("cum_counted_investment", 27.80761) == "27.8076 亿元"
    assert words.value("town_parlour", True) == "是 yes"
    assert words.label("no_such_name").zh == "no_such_name"  # the page scan then finds it
    assert not words.knows("no_such_name")


def test_fixed_terms_are_bilingual_and_a_mixed_page_finds_each_programmes_words():
    assert all(t.zh != t.en for kind in TERMS.values() for t in kind.values())
    assert term_text("outcome", "fail") == "不符合 fail" and term("role", "city_reviewer").zh == "设区市审核员"
    both = Glossaries([get_policy("tongzhou-towns"), get_policy("zhejiang-towns")])
    zhejiang = get_policy("zhejiang-towns")
    own = next(p for p in zhejiang.parameters if p.id not in {q.id for q in get_policy("tongzhou-towns").parameters})
    assert both.label(own.id) == own.label


def test_free_text_naming_a_programme_id_reads_its_label_and_leaves_other_words_alone():
    policy = get_policy("tongzhou-towns")
    words = Glossary(policy)
    label = policy.parameter("investment_window_years").label
    text = words.readable("see investment_window_years; not_an_id stays, as does `investment_window_years`")
    assert f"see {label.zh} {label.en};" in text
    assert "not_an_id stays" in text and "`investment_window_years`" in text
