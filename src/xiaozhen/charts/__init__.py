"""ECharts options built from plain data (no Django): the page embeds the option as JSON and
``web/static/js/charts.js`` draws it. Labels are bilingual ``(zh, en)`` pairs; the page picks one."""

from ._options import stacked_bar, target_track

__all__ = ["stacked_bar", "target_track"]
