"""`xiaozhen spatial check` as a user runs it on the example under examples/spatial/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xiaozhen.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "spatial"
TOWNS = str(EXAMPLES / "towns.geojson")
CONSTRUCTION = str(EXAMPLES / "construction.geojson")
RED_LINE = str(EXAMPLES / "ecological_red_line.geojson")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_the_table_shows_area_zone_each_limit_with_its_clause_and_each_layers_overlap(capsys):
    code, out, _ = run(capsys, "spatial", "check", "--policy", "tongzhou-towns", TOWNS,
                       "--construction", CONSTRUCTION, "--red-lines", RED_LINE)
    assert code == 0
    assert "area_km2" in out and "EPSG:4549 CGCS2000 3°GK CM 120°E" in out
    assert "规划面积约3平方公里" in out and "003 §三(二)" in out
    assert "overlap_m2" in out and "overlap_share" in out and "2023-10-31" in out
    assert "✗ 不符合 fail" in out  # 兴仁 is 4.27 km², over the 3.5 km² reading of "about 3"


def test_json_gives_per_town_area_zone_limits_and_overlaps(capsys):
    code, out, _ = run(capsys, "spatial", "check", "--policy", "zhejiang-towns", TOWNS,
                       "--construction", CONSTRUCTION, "--red-lines", RED_LINE, "--format", "json")
    assert code == 0
    towns = {t["town_id"]: t for t in json.loads(out)["towns"]}
    shigang = towns["320612-003"]
    assert shigang["zone"]["epsg"] == 4549
    [layer] = shigang["red_lines"]
    assert layer["crossed"] is True and layer["overlap_m2"] > 0 and 0 < layer["overlap_share"] < 1
    red = next(v for v in shigang["limits"] if v["criterion"] == "app_red_lines")
    assert red["outcome"] == "fail" and red["clause"] == "002 §三(四)"
    assert all(not t["red_lines"][0]["crossed"] for k, t in towns.items() if k != "320612-003")


def test_a_layer_whose_kind_cannot_be_told_asks_for_kind_equals_file(capsys, tmp_path):
    layer = tmp_path / "layer.geojson"
    data = json.loads(Path(RED_LINE).read_text(encoding="utf-8"))
    data["features"][0]["properties"].pop("kind")
    layer.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "spatial", "check", "--policy", "zhejiang-towns", TOWNS, "--red-lines", str(layer))
    assert code == 2 and "KIND=FILE" in err
    code, out, _ = run(capsys, "spatial", "check", "--policy", "zhejiang-towns", TOWNS,
                       "--red-lines", f"permanent_farmland={layer}", "--format", "json")
    assert code == 0 and json.loads(out)["towns"][2]["red_lines"][0]["kind"] == "permanent_farmland"


def test_a_bad_boundary_file_exits_2_naming_the_feature_and_computes_nothing(capsys, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "蝴蝶"},
                   "geometry": {"type": "Polygon", "coordinates": [[[121.0, 32.0], [121.02, 32.02], [121.02, 32.0], [121.0, 32.02], [121.0, 32.0]]]}}]}),
                   encoding="utf-8")
    code, out, err = run(capsys, "spatial", "check", "--policy", "zhejiang-towns", str(bad))
    assert code == 2 and out == ""
    assert "bad.geojson" in err and "feature 1 (蝴蝶)" in err and "crosses itself" in err
