"""Text rendering for terminals: Chinese characters take two columns, and tables line up by what is seen."""

from __future__ import annotations

import json
import math

from xiaozhen._output import column_widths, display_width, render_table, to_json, wrap


def test_chinese_characters_take_two_columns_and_latin_one():
    assert display_width("通州") == 4
    assert display_width("TZ01") == 4
    assert display_width("3年内 plan") == 10


def test_wrapping_breaks_english_at_spaces_and_chinese_anywhere():
    assert wrap("Three-year planned investment reaches the minimum", 20) == ["Three-year planned", "investment reaches", "the minimum"]
    lines = wrap("按3A级(旅游风情类5A级)以上景区服务功能标准建设", 16)
    assert all(display_width(line) <= 16 for line in lines)
    assert "".join(lines) == "按3A级(旅游风情类5A级)以上景区服务功能标准建设"


def test_a_table_lines_up_columns_by_display_width():
    table = render_table(["小镇 Town", "结论 Verdict"], [["川姜家纺小镇", "pass"], ["TZ", "fail"]])
    lines = table.splitlines()
    starts = {display_width(line[: line.index(word)]) for line, word in zip(lines[2:], ["pass", "fail"], strict=True)}
    assert starts == {display_width("川姜家纺小镇") + 2}


def test_tables_printed_one_after_another_can_share_widths():
    first, second = [["a", "短"]], [["a much longer cell", "长长长长长"]]
    widths = column_widths(["x", "y"], first + second)
    one = render_table(["x", "y"], first, min_widths=widths).splitlines()[1]
    two = render_table(["x", "y"], second, min_widths=widths).splitlines()[1]
    assert one == two


def test_json_output_has_no_nan_and_keeps_chinese_readable():
    text = to_json({"value": math.nan, "label": "通州"})
    assert json.loads(text) == {"value": None, "label": "通州"}
    assert "通州" in text
