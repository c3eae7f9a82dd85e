"""The bilingual template tags and filter: active language first, both always there, all escaped."""

from __future__ import annotations

import gc
import importlib

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.dashboard import nav_for


def render(source: str, language: str = "zh-hans", **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_a_literal_pair_puts_chinese_first_then_english_first_when_english_is_chosen():
    source = '{% t "小镇" "Town" %}'
    chinese = render(source)
    english = render(source, "en")
    assert chinese == ('<span class="bi"><span lang="zh-Hans">小镇</span> '
                       '<span class="bi-alt" lang="en">Town</span></span>')
    assert english.index('lang="en"') < english.index('lang="zh-Hans"')
    assert "小镇" in english and "Town" in english


def test_one_compiled_template_follows_the_language_of_each_render():
    template = Template('{% tp "审核" "Review" %}')
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("zh-hans"):
        chinese = template.render(Context())
    assert (english, chinese) == ("Review / 审核", "审核 / Review")


def test_variables_are_escaped_in_the_html_and_the_plain_forms():
    html = render("{% t zh en %}", zh="<b>镇</b>", en="A & B")
    assert "&lt;b&gt;镇&lt;/b&gt;" in html and "A &amp; B" in html and "<b>" not in html
    assert render("{% tp zh en %}", zh="甲<乙", en="a<b") == "甲&lt;乙 / a&lt;b"


def test_a_missing_english_text_shows_the_chinese_alone():
    assert render('{% t "公示" "" %}') == '<span lang="zh-Hans">公示</span>'
    assert render("{% tp zh en %}", zh="公示", en="") == "公示"


def test_the_tag_refuses_anything_but_two_arguments():
    with pytest.raises(TemplateSyntaxError, match="two arguments"):
        Template('{% t "只有中文" %}')


# A template's own literals are trusted markup (Django marks them safe), variables are escaped, so
# the two paths agree on text without HTML's special characters; quotes and braces would end the tag.
plain_text = st.text(alphabet=st.characters(blacklist_characters='"\\{}%<>&\'', blacklist_categories=("Cs", "Cc")),
                     max_size=12)


@settings(max_examples=60, deadline=None)
@given(zh=plain_text, en=plain_text, language=st.sampled_from(["zh-hans", "en"]))
def test_a_literal_pair_renders_exactly_as_the_same_texts_passed_as_variables(zh, en, language):
    for tag in ("t", "tp"):
        literal = render(f'{{% {tag} "{zh}" "{en}" %}}', language)
        variable = render(f"{{% {tag} zh en %}}", language, zh=zh, en=en)
        assert literal == variable


def test_the_bi_filter_escapes_a_models_names(db):
    from regions.models import Region

    region = Region(code="450100", name_zh="南宁<市>", name_en="Nanning", level="city")
    html = render("{{ region|bi }}", region=region)
    assert "南宁&lt;市&gt;" in html and 'lang="en">Nanning<' in html


def test_the_navigation_links_point_at_the_pages_they_name(rf, province_officer):
    request = rf.get("/towns/")
    request.user = province_officer
    items = {item["key"]: item for item in nav_for(request)}
    assert items["towns"]["url"] == "/towns/" and items["towns"]["current"] is True
    assert items["audit"]["url"] == "/audit/" and items["audit"]["current"] is False


def test_the_wsgi_entry_point_freezes_the_start_up_objects_out_of_the_collector():
    gc.unfreeze()
    try:
        module = importlib.reload(importlib.import_module("config.wsgi"))
        assert callable(module.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
