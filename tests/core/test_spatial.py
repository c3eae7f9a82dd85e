"""Spatial checks in the core: zones, areas in CGCS2000 Gauss-Krüger, GCJ-02, reading, validation, limits."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import Polygon, box, mapping

from xiaozhen.policy import get_policy
from xiaozhen.spatial import (
    RedLineLayer,
    SpatialError,
    TownBoundary,
    apply_xy,
    boundary_problems,
    check_towns,
    gcj02_to_wgs84,
    geodesic_area_m2,
    gk_area_m2,
    gk_zones,
    province_extent,
    read_boundaries,
    wgs84_to_gcj02,
    zone_for_longitude,
)

# ------------------------------------------------------------------ zones and areas


def test_the_zone_table_comes_from_pyprojs_database_with_central_meridians_75_to_135():
    zones = gk_zones()
    assert [z.epsg for z in zones] == list(range(4534, 4555))
    assert [z.central_meridian for z in zones] == [75.0 + 3 * k for k in range(21)]
    for z in zones:
        crs = CRS.from_epsg(z.epsg)
        assert crs.geodetic_crs is not None and crs.geodetic_crs.name == "China Geodetic Coordinate System 2000"
        assert f"CM {z.central_meridian:g}E" in crs.name


@pytest.mark.parametrize(("lon", "cm"), [(121.49, 120.0), (121.5, 120.0), (121.51, 123.0), (108.3, 108.0), (73.5, 75.0), (136.5, 135.0)])
def test_a_town_is_measured_in_the_zone_nearest_its_longitude(lon, cm):
    assert zone_for_longitude(lon).central_meridian == cm


@pytest.mark.parametrize("lon", [73.49, 136.51, 40.0])
def test_a_longitude_outside_chinas_zones_is_refused(lon):
    with pytest.raises(ValueError, match="3-degree zones"):
        zone_for_longitude(lon)


def _town(lon: float, lat: float, size_deg: float = 0.02) -> Polygon:
    """An irregular town-sized polygon around (lon, lat)."""
    pts = []
    for i in range(24):
        a = 2 * math.pi * i / 24
        r = size_deg * (1 + 0.2 * math.sin(3 * a))
        pts.append((lon + r * math.cos(a), lat + 0.8 * r * math.sin(a)))
    return Polygon(pts)


@pytest.mark.parametrize(("lon", "lat"), [
    (120.6, 30.0),    # Zhejiang, near its zone's central meridian
    (121.05, 32.07),  # Tongzhou
    (108.3, 22.8),    # Nanning
    (109.45, 21.0),   # Guangxi's south coast, 1.45° from the central meridian (the zone's worst scale)
    (113.26, 23.13),  # Guangzhou
])
def test_gauss_kruger_area_is_within_a_tenth_of_a_percent_of_the_geodesic_area(lon, lat):
    town = _town(lon, lat)
    plane, zone = gk_area_m2(town)
    geodesic = geodesic_area_m2(town)
    assert abs(plane - geodesic) / geodesic < 0.001
    assert abs(lon - zone.central_meridian) <= 1.5
    assert plane > 1e6  # square metres, never square degrees (the shape is 0.001 square degrees)


def test_the_geodesic_reference_uses_the_cgcs2000_ellipsoid():
    from xiaozhen.spatial._zones import cgcs2000_geod

    geod = cgcs2000_geod()
    assert geod.a == 6378137.0
    assert math.isclose(1 / geod.f, 298.257222101, rel_tol=1e-12)


# ------------------------------------------------------------------ GCJ-02


def test_gcj02_forward_matches_the_published_formulas_example():
    # coordtransform's and eviltransform's worked example: Tian'anmen in WGS84 → GCJ-02.
    lon, lat = wgs84_to_gcj02(116.404, 39.915)
    assert lon == pytest.approx(116.41024449916938, abs=1e-12)
    assert lat == pytest.approx(39.91640428150164, abs=1e-12)


@pytest.mark.parametrize(("lon", "lat"), [(116.404, 39.915), (121.05, 32.07), (108.3, 22.8), (87.6, 43.8)])
def test_gcj02_inverse_round_trips_within_a_millimetre(lon, lat):
    back = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert back[0] == pytest.approx(lon, abs=1e-8)
    assert back[1] == pytest.approx(lat, abs=1e-8)


def test_points_outside_china_are_not_offset_by_gcj02():
    assert wgs84_to_gcj02(139.7, 35.7) == (139.7, 35.7)


# ------------------------------------------------------------------ reading


def _feature_collection(*polys: Polygon, crs: str | None = None) -> bytes:
    data: dict = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": f"T{i + 1}", "name": f"小镇{i + 1}"}, "geometry": mapping(p)}
        for i, p in enumerate(polys)]}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(data, ensure_ascii=False).encode()


def _shapefile_zip(tmp_path: Path, geom: Polygon, crs: str, *, with_cpg: bool = True, subdir: str = "layer/") -> bytes:
    from pyogrio import raw

    out = tmp_path / "shp"
    out.mkdir()
    raw.write(str(out / "towns.shp"), np.array([shapely.to_wkb(geom)], dtype=object),
              [np.array(["通州家纺小镇"], dtype=object)], ["name"], driver="ESRI Shapefile", crs=crs,
              geometry_type="Polygon", encoding="UTF-8" if with_cpg else "GB18030")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(out.iterdir()):
            if with_cpg or part.suffix != ".cpg":
                archive.write(part, subdir + part.name)
    return buf.getvalue()


def test_geojson_is_read_with_names_and_codes():
    town = _town(121.05, 32.07)
    [feature] = read_boundaries(_feature_collection(town), filename="towns.geojson")
    assert (feature.code, feature.name, feature.index) == ("T1", "小镇1", 1)
    assert feature.geometry.equals_exact(town, 1e-9)


def test_a_zipped_shapefile_in_gauss_kruger_is_reprojected_to_cgcs2000_lonlat(tmp_path):
    town = _town(121.05, 32.07)
    to_gk = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True)
    data = _shapefile_zip(tmp_path, apply_xy(town, to_gk.transform), "EPSG:4549")
    [feature] = read_boundaries(data, filename="towns.zip")
    assert feature.name == "通州家纺小镇"
    assert feature.geometry.bounds == pytest.approx(town.bounds, abs=1e-7)


def test_a_shapefile_without_a_cpg_is_read_as_gb18030(tmp_path):
    data = _shapefile_zip(tmp_path, _town(121.05, 32.07), "EPSG:4490", with_cpg=False)
    [feature] = read_boundaries(data, filename="towns.zip")
    assert feature.name == "通州家纺小镇"


def test_kml_is_read(tmp_path):
    from pyogrio import raw

    town = _town(108.3, 22.8)
    raw.write(str(tmp_path / "t.kml"), np.array([shapely.to_wkb(town)], dtype=object),
              [np.array(["南宁创新小镇"], dtype=object)], ["Name"], driver="KML", crs="EPSG:4326", geometry_type="Polygon")
    [feature] = read_boundaries(tmp_path / "t.kml")
    assert feature.name == "南宁创新小镇"
    assert feature.geometry.bounds == pytest.approx(town.bounds, abs=1e-7)


def test_gcj02_coordinates_are_converted_when_the_user_says_so():
    town = _town(121.05, 32.07)
    from xiaozhen.spatial import geometry_wgs84_to_gcj02

    shifted = geometry_wgs84_to_gcj02(town)
    [feature] = read_boundaries(_feature_collection(shifted), filename="towns.geojson", coordinates="gcj02")
    assert feature.geometry.bounds == pytest.approx(town.bounds, abs=1e-8)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("towns.txt", b"{}", "only GeoJSON"),
    ("towns.zip", b"not a zip", "not a valid zip"),
    ("towns.geojson", b'{"type": "FeatureCollection", "features": [', "cannot read the layer"),
    ("towns.geojson", b'{"type": "FeatureCollection", "features": []}', "no features"),
])
def test_unreadable_files_are_refused_with_the_file_named(name, data, words):
    with pytest.raises(SpatialError) as exc:
        read_boundaries(data, filename=name)
    assert words in str(exc.value) and name in str(exc.value)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_expanded():
    bomb = _zip({"a.shp": b"\0" * (5 * 1024 * 1024), "a.shx": b"", "a.dbf": b""})
    with pytest.raises(SpatialError, match="zip bomb"):
        read_boundaries(bomb, filename="bomb.zip")


def test_a_zip_member_leaving_the_archive_is_refused():
    with pytest.raises(SpatialError, match="unsafe path"):
        read_boundaries(_zip({"../../etc/a.shp": b"x"}), filename="evil.zip")


def test_a_zip_without_the_dbf_names_the_missing_part():
    with pytest.raises(SpatialError, match=r"\.dbf"):
        read_boundaries(_zip({"a.shp": b"x", "a.shx": b"x"}), filename="part.zip")


def test_points_are_refused_as_boundaries():
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "点"}, "geometry": {"type": "Point", "coordinates": [121, 32]}}]})
    with pytest.raises(SpatialError, match="must be a Polygon") as exc:
        read_boundaries(data.encode(), filename="p.geojson")
    assert "feature 1" in str(exc.value)


# ------------------------------------------------------------------ validation


def test_a_self_intersection_is_reported_with_its_place():
    bowtie = Polygon([(121.0, 32.0), (121.02, 32.02), (121.02, 32.0), (121.0, 32.02), (121.0, 32.0)])
    [problem] = boundary_problems(bowtie, source="t.geojson", feature=2, name="甲")
    assert "crosses itself at longitude 121.010000, latitude 32.010000" in problem.en
    assert "经度 121.010000" in problem.zh
    assert "第 2 个要素" in str(problem) and "甲" in str(problem)


def test_swapped_latitude_and_longitude_are_named_as_such():
    swapped = apply_xy(_town(121.05, 32.07), lambda x, y: (y, x))
    [problem] = boundary_problems(swapped, source="t.geojson")
    assert "swapped" in problem.en


def test_projected_coordinates_without_a_crs_are_named_as_such():
    [problem] = boundary_problems(box(500000, 3500000, 501000, 3501000), source="t.geojson")
    assert "look projected" in problem.en


def test_a_boundary_outside_the_province_is_refused():
    zhejiang = province_extent("330100")
    assert zhejiang is not None
    [problem] = boundary_problems(_town(108.3, 22.8), source="t.geojson", extent=zhejiang)
    assert "outside Zhejiang" in problem.en
    assert boundary_problems(_town(120.6, 30.0), source="t.geojson", extent=zhejiang) == []


# ------------------------------------------------------------------ limits and red lines


def _square_km2(km2: float, lon: float = 120.6, lat: float = 30.0) -> Polygon:
    """A square of exactly ``km2`` in the zone's plane, given back in lon/lat."""
    zone = zone_for_longitude(lon)
    fwd = Transformer.from_crs("EPSG:4490", f"EPSG:{zone.epsg}", always_xy=True)
    back = Transformer.from_crs(f"EPSG:{zone.epsg}", "EPSG:4490", always_xy=True)
    x, y = fwd.transform(lon, lat)
    side = math.sqrt(km2) * 1000
    return apply_xy(box(x, y, x + side, y + side), back.transform)


def _outcome(check, criterion: str) -> str:
    return next(v.outcome for v in check.limits if v.criterion_id == criterion)


@pytest.mark.parametrize(("km2", "outcome"), [(4.99, "pass"), (5.0, "pass"), (5.01, "fail")])
def test_zhejiangs_five_km2_boundary_limit_at_and_either_side_of_the_line(km2, outcome):
    [check] = check_towns(get_policy("zhejiang-towns"), [TownBoundary("T1", "甲", _square_km2(km2))])
    assert check.area_km2 == pytest.approx(km2, rel=1e-6)
    assert _outcome(check, "app_planned_area") == outcome
    limit = next(v for v in check.limits if v.criterion_id == "app_planned_area")
    assert (limit.clause, limit.severity) == ("002 §四(三)", "should")


@pytest.mark.parametrize(("km2", "outcome"), [(0.99, "fail"), (1.0, "pass"), (1.01, "pass")])
def test_the_2021_guidelines_one_km2_minimum_at_and_either_side_of_the_line(km2, outcome):
    [check] = check_towns(get_policy("national-guideline-2021"), [TownBoundary("T1", "甲", _square_km2(km2))])
    assert _outcome(check, "app_planned_area_min") == outcome


@pytest.mark.parametrize(("km2", "outcome"), [(0.49, "fail"), (0.5, "pass"), (0.51, "pass")])
def test_the_2021_guidelines_construction_land_minimum_reads_the_construction_layer(km2, outcome):
    town = TownBoundary("T1", "甲", _square_km2(2.0), _square_km2(km2))
    [check] = check_towns(get_policy("national-guideline-2021"), [town])
    assert check.indicators["construction_land_km2"] == pytest.approx(km2, rel=1e-6)
    assert _outcome(check, "app_construction_land") == outcome


def test_tongzhous_planned_and_construction_areas_are_two_layers_with_their_own_limits():
    town = TownBoundary("T1", "甲", _square_km2(3.6), _square_km2(1.1))
    [check] = check_towns(get_policy("tongzhou-towns"), [town])
    assert _outcome(check, "app_planned_area") == "fail"  # about 3 km², read as ≤ 3.5 (003 §三(二))
    assert _outcome(check, "app_construction_area") == "pass"  # about 1 km², read as ≤ 1.2
    assert {v.clause for v in check.limits} == {"003 §三(二)"}


def test_without_a_construction_layer_the_construction_limit_is_unknown_not_passed():
    [check] = check_towns(get_policy("tongzhou-towns"), [TownBoundary("T1", "甲", _square_km2(2.0))])
    assert _outcome(check, "app_construction_area") == "unknown"


def _layer(kind, geom) -> RedLineLayer:
    return RedLineLayer(kind, "layer.geojson", geom, dt.date(2023, 10, 31), "省自然资源厅")


def test_an_overlap_with_the_ecological_red_line_sets_the_indicator_and_fails_the_red_line_criterion():
    town = _square_km2(2.0)
    minx, miny, maxx, maxy = town.bounds
    red = box((minx + maxx) / 2, miny - 0.01, maxx + 0.01, maxy + 0.01)  # covers the eastern half
    [check] = check_towns(get_policy("zhejiang-towns"), [TownBoundary("T1", "甲", town)],
                          [_layer("ecological_red_line", red)])
    [overlap] = check.overlaps
    assert overlap.crossed and overlap.overlap_share == pytest.approx(0.5, abs=0.01)
    assert overlap.overlap_m2 == pytest.approx(1.0e6, rel=0.01)
    assert overlap.evidence is not None and overlap.evidence["type"] == "Polygon"
    assert check.indicators["crosses_ecological_red_line"] is True
    assert _outcome(check, "app_red_lines") == "fail"


def test_a_town_clear_of_all_three_lines_passes_the_red_line_criterion():
    town = _square_km2(2.0)
    far = box(121.5, 31.0, 121.6, 31.1)
    layers = [_layer("ecological_red_line", far), _layer("permanent_farmland", far),
              _layer("development_boundary", town.buffer(0.01))]
    [check] = check_towns(get_policy("zhejiang-towns"), [TownBoundary("T1", "甲", town)], layers)
    assert [o.crossed for o in check.overlaps] == [False, False, False]
    assert _outcome(check, "app_red_lines") == "pass"


def test_building_outside_the_development_boundary_is_measured_as_the_part_outside():
    town = _square_km2(2.0)
    minx, miny, maxx, maxy = town.bounds
    boundary = box(minx - 0.01, miny - 0.01, (minx + maxx) / 2, maxy + 0.01)
    [check] = check_towns(get_policy("zhejiang-towns"), [TownBoundary("T1", "甲", town)],
                          [_layer("development_boundary", boundary)])
    [overlap] = check.overlaps
    assert overlap.crossed and overlap.outside_m2 == pytest.approx(1.0e6, rel=0.01)
    assert check.indicators["outside_development_boundary"] is True


@pytest.mark.parametrize(("width_m", "crossed"), [(0.0005, False), (0.002, True)])
def test_a_sliver_within_the_one_m2_tolerance_is_not_a_crossing(width_m, crossed):
    """A strip 0.5 mm (0.7 m²) or 2 mm (2.8 m²) wide along the town's 1.4 km eastern edge."""
    zone = zone_for_longitude(120.6)
    fwd = Transformer.from_crs("EPSG:4490", f"EPSG:{zone.epsg}", always_xy=True)
    back = Transformer.from_crs(f"EPSG:{zone.epsg}", "EPSG:4490", always_xy=True)
    x, y = fwd.transform(120.6, 30.0)
    side = math.sqrt(2.0) * 1000
    town = apply_xy(box(x, y, x + side, y + side), back.transform)
    sliver = apply_xy(box(x + side - width_m, y, x + side + 100, y + side), back.transform)
    [check] = check_towns(get_policy("zhejiang-towns"), [TownBoundary("T1", "甲", town)],
                          [_layer("ecological_red_line", sliver)])
    [overlap] = check.overlaps
    assert overlap.overlap_m2 == pytest.approx(width_m * side, rel=0.05)
    assert overlap.crossed is crossed


# ------------------------------------------------------------------ hostile files (docs/hostile-files.md)


def _problem_of(data: bytes, filename: str) -> str:
    with pytest.raises(SpatialError) as caught:
        read_boundaries(data, filename=filename)
    return str(caught.value)


def test_a_geojson_with_more_positions_than_gdal_should_parse_is_refused_by_name():
    from tests.hostile import _huge_geojson

    message = _problem_of(_huge_geojson(150_000), "huge.geojson")
    assert message.startswith("huge.geojson: ") and "150,004 positions, over the limit of 100,000" in message


def test_a_geojson_nested_deeper_than_32_levels_is_refused_before_gdal_reads_it():
    from tests.hostile import _deep_geojson

    assert "nested deeper than 32 levels" in _problem_of(_deep_geojson(40), "deep.geojson")


def test_kml_declaring_an_external_entity_is_refused_unread():
    from tests.hostile import XXE, _kml

    message = _problem_of(_kml("120.9,32.0 120.91,32.0 120.91,32.01 120.9,32.0", XXE.replace(b"workbook", b"kml"),
                               "&xxe;"), "xxe.kml")
    assert "xxe.kml: " in message and "declares a DTD or entities" in message


def test_a_kml_ring_that_never_closes_is_a_problem_of_its_feature_not_a_crash():
    from tests.hostile import _kml

    message = _problem_of(_kml("120.9,32.0 120.91,32.0 120.91,32.01", name="川姜"), "open.kml")
    assert "open.kml, 第 1 个要素 feature 1 (川姜)" in message and "closed linestring" in message


def test_a_zipped_shapefile_whose_directory_understates_a_member_is_refused_as_damaged():
    from tests.hostile import _lying_zip

    message = _problem_of(_lying_zip(2 * 1024 * 1024), "lying.zip")
    assert "boundary.shp in the zip is damaged or cannot be inflated" in message
