"""Chart options are plain data the page draws; a mismatched series is refused, never shifted."""

import pytest

from xiaozhen.charts import stacked_bar


def test_a_stacked_bar_has_one_bar_per_category_and_one_segment_per_series():
    option = stacked_bar(categories=["通州", "浙江"], series=[("培育", [3, 5]), ("创建", [2, 0])])
    assert option["yAxis"]["data"] == ["通州", "浙江"]
    assert [(s["name"], s["data"], s["stack"]) for s in option["series"]] == [
        ("培育", [3, 5], "total"),
        ("创建", [2, 0], "total"),
    ]


def test_a_vertical_bar_puts_the_categories_on_the_x_axis():
    option = stacked_bar(categories=["a"], series=[("s", [1])], horizontal=False)
    assert option["xAxis"]["data"] == ["a"] and option["yAxis"]["type"] == "value"


def test_a_series_with_too_few_values_is_refused():
    with pytest.raises(ValueError, match="1 values for 2 categories"):
        stacked_bar(categories=["a", "b"], series=[("s", [1])])


def test_the_legend_sits_above_the_plot_so_it_never_covers_the_axis_labels():
    from xiaozhen.charts import stacked_bar

    option = stacked_bar(categories=["通州区特色小镇", "浙江特色小镇"], series=[("培育", [1, 2]), ("创建", [3, 4])])
    assert "bottom" not in option["legend"] and option["legend"]["type"] == "scroll"
    assert option["grid"]["top"] > option["legend"]["top"] + 24  # one legend row is about 24 px
    titled = stacked_bar(categories=["a"], series=[("s", [1])], title="小镇")
    assert titled["legend"]["top"] >= 24 and titled["grid"]["top"] > titled["legend"]["top"] + 24


def test_a_target_track_draws_actuals_the_projection_from_the_last_figure_its_band_and_the_target():
    from xiaozhen.charts import target_track

    names = {"actual": "实际", "projection": "预测", "band": "区间", "target": "目标"}
    option = target_track(series=[(2017, 0.1), (2018, None), (2019, 0.3)], target=0.5, target_year=2021,
                          projected=0.45, low=0.35, high=0.55, names=names, scale=100, digits=2)
    assert option["xAxis"]["data"] == ["2017", "2018", "2019", "2020", "2021"]
    actual, projection, extent, low, width = option["series"]
    assert extent["data"][-1] == 50.0 and extent["lineStyle"]["opacity"] == 0  # the axis reaches the target
    assert actual["data"] == [10.0, None, 30.0, None, None]
    assert actual["markLine"]["data"][0]["yAxis"] == 50.0
    assert projection["data"] == [None, None, 30.0, None, 45.0]
    assert low["data"] == [None, None, 30.0, None, 35.0] and width["data"] == [None, None, 0.0, None, 20.0]
    assert low["stack"] == width["stack"] and "areaStyle" in width


def test_a_target_track_without_a_band_draws_no_band():
    from xiaozhen.charts import target_track

    names = {"actual": "a", "projection": "p", "band": "b", "target": "t"}
    option = target_track(series=[(2019, 1.0), (2020, 2.0)], target=5.0, target_year=2020, projected=2.0,
                          low=None, high=None, names=names)
    assert [s["name"] for s in option["series"]] == ["a", "p", "t"]
