"""Read boundaries from GeoJSON, a zipped Shapefile or KML through pyogrio (GDAL), into CGCS2000 lon/lat.

Limits (defaults of xiaozhen, not from a seed; they keep a hostile upload from exhausting the server):
files up to ``MAX_FILE_BYTES``; a zip with at most ``MAX_ZIP_MEMBERS`` members, ``MAX_UNZIPPED_BYTES``
in total and no member expanding more than ``MAX_ZIP_RATIO`` times; no member path leaving the archive;
at most ``MAX_FEATURES`` features and ``MAX_VERTICES`` vertices in all.

Coordinates: the file's own CRS is honoured (a projected one such as EPSG:4549 is converted to EPSG:4490);
longitude/latitude files are read as WGS84 = CGCS2000 (centimetres apart), unless the caller says they are
GCJ-02 (web-map coordinates, which no file format can declare): then they are converted with
``gcj02_to_wgs84`` (see _gcj02.py for the method and its accuracy).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import shapely
from pyproj import CRS, Transformer
from shapely import Geometry

from ._errors import SpatialError, SpatialProblem
from ._gcj02 import geometry_gcj02_to_wgs84
from ._zones import apply_xy

Coordinates = Literal["auto", "wgs84", "cgcs2000", "gcj02"]
COORDINATES: tuple[str, ...] = ("auto", "wgs84", "cgcs2000", "gcj02")

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBERS = 50
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_FEATURES = 10_000
MAX_VERTICES = 2_000_000
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg"}
#: A .dbf without a .cpg is read as GB18030 (what Chinese GIS software writes), not GDAL's Latin-1.
DBF_DEFAULT_ENCODING = "GB18030"

NAME_FIELDS = ("name", "名称", "town_name", "小镇名称", "mc")
CODE_FIELDS = ("code", "town_code", "编号", "小镇编号", "town_id", "bm")


@dataclass(frozen=True)
class BoundaryFeature:
    """One polygon feature read from a file, in CGCS2000 longitude/latitude."""

    index: int  # 1-based
    name: str
    code: str
    geometry: Geometry
    properties: dict[str, Any]


def _fail(source: str, zh: str, en: str, feature: int | None = None) -> SpatialError:
    return SpatialError([SpatialProblem(source, feature, zh, en)])


def kind_of(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix == ".zip":
        return "shapefile"
    if suffix == ".kml":
        return "kml"
    raise _fail(filename, "只接受 GeoJSON(.geojson/.json)、压缩的 Shapefile(.zip)或 KML(.kml)",
                "only GeoJSON (.geojson/.json), a zipped Shapefile (.zip) or KML (.kml) is accepted")


def read_boundaries(data: bytes | Path | str, *, filename: str | None = None,
                    coordinates: Coordinates = "auto") -> list[BoundaryFeature]:
    """Every polygon feature of the file, reprojected to CGCS2000 lon/lat; SpatialError if the file is unusable."""
    if isinstance(data, str | Path):
        path = Path(data)
        filename = filename or path.name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise _too_big(filename)
            data = path.read_bytes()
        except OSError as exc:
            raise _fail(filename, f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}") from None
    source = filename or "<upload>"
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(source)
    kind = kind_of(source)
    if kind == "shapefile":
        return _read_zipped_shapefile(source, data, coordinates)
    return _read_ogr(source, data, coordinates, encoding=None)


def _too_big(source: str) -> SpatialError:
    mb = MAX_FILE_BYTES // (1024 * 1024)
    return _fail(source, f"文件超过 {mb} MB", f"the file is larger than {mb} MB")


def _read_zipped_shapefile(source: str, data: bytes, coordinates: Coordinates) -> list[BoundaryFeature]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _fail(source, "不是有效的 zip 压缩包", "not a valid zip archive") from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS:
        raise _fail(source, f"压缩包内文件过多(超过 {MAX_ZIP_MEMBERS} 个)", f"more than {MAX_ZIP_MEMBERS} files in the zip")
    total = 0
    parts: dict[str, zipfile.ZipInfo] = {}
    for m in members:
        pure = PurePosixPath(m.filename.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts:
            raise _fail(source, f"压缩包内路径不安全：{m.filename}", f"unsafe path in the zip: {m.filename}")
        total += m.file_size
        if m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1) and m.file_size > 1024 * 1024:
            raise _fail(source, f"{m.filename} 压缩比异常(超过 {MAX_ZIP_RATIO} 倍)",
                        f"{m.filename} expands more than {MAX_ZIP_RATIO} times: refused as a zip bomb")
        if pure.suffix.lower() in SHAPEFILE_PARTS and not pure.name.startswith("."):
            parts.setdefault(pure.suffix.lower(), m)
            if sum(1 for x in members if PurePosixPath(x.filename).suffix.lower() == ".shp") > 1:
                raise _fail(source, "压缩包内有多个 .shp，请每次上传一个图层",
                            "the zip holds more than one .shp: upload one layer at a time")
    if total > MAX_UNZIPPED_BYTES:
        mb = MAX_UNZIPPED_BYTES // (1024 * 1024)
        raise _fail(source, f"解压后超过 {mb} MB", f"more than {mb} MB once unzipped")
    missing = [s for s in (".shp", ".shx", ".dbf") if s not in parts]
    if missing:
        raise _fail(source, f"压缩包缺少 Shapefile 组成文件：{'、'.join(missing)}",
                    f"the zip lacks the Shapefile part(s) {', '.join(missing)}")
    with tempfile.TemporaryDirectory(prefix="xz-shp-") as tmp:
        for suffix, member in parts.items():
            with archive.open(member) as src:
                (Path(tmp) / f"layer{suffix}").write_bytes(src.read(MAX_UNZIPPED_BYTES + 1))
        encoding = None if ".cpg" in parts else DBF_DEFAULT_ENCODING
        return _read_ogr(source, Path(tmp) / "layer.shp", coordinates, encoding=encoding)


def _read_ogr(source: str, data: bytes | Path, coordinates: Coordinates, *, encoding: str | None) -> list[BoundaryFeature]:
    from pyogrio import raw
    from pyogrio.errors import DataSourceError, FieldError, GeometryError

    try:
        meta, _fids, wkbs, field_data = raw.read(
            data if isinstance(data, bytes) else str(data), encoding=encoding, max_features=MAX_FEATURES + 1
        )
    except (DataSourceError, FieldError, GeometryError, ValueError, RuntimeError) as exc:
        first = str(exc).split(";")[0].replace(str(data) if isinstance(data, Path) else "\0", source)
        raise _fail(source, f"无法读取图层：{first}", f"cannot read the layer: {first}") from None
    if wkbs is None or len(wkbs) == 0:
        raise _fail(source, "文件中没有要素", "the file has no features")
    if len(wkbs) > MAX_FEATURES:
        raise _fail(source, f"要素超过 {MAX_FEATURES} 个", f"more than {MAX_FEATURES} features")
    to_lonlat = _to_cgcs2000(source, meta.get("crs"), coordinates)
    fields = [str(f) for f in meta["fields"]]
    features: list[BoundaryFeature] = []
    problems: list[SpatialProblem] = []
    vertices = 0
    for i, wkb in enumerate(wkbs):
        props = {f: _plain(field_data[j][i]) for j, f in enumerate(fields)}
        name, code = _pick(props, NAME_FIELDS), _pick(props, CODE_FIELDS)
        if wkb is None:
            problems.append(SpatialProblem(source, i + 1, "要素没有几何图形", "the feature has no geometry", name))
            continue
        geom = shapely.from_wkb(wkb)
        geom = shapely.force_2d(geom)
        if geom.geom_type == "GeometryCollection":
            polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            geom = shapely.union_all(polys) if polys else geom
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(SpatialProblem(source, i + 1, f"须为面(Polygon/MultiPolygon)，而不是 {geom.geom_type}",
                                           f"must be a Polygon or MultiPolygon, not a {geom.geom_type}", name))
            continue
        vertices += shapely.get_num_coordinates(geom)
        if vertices > MAX_VERTICES:
            raise _fail(source, f"顶点总数超过 {MAX_VERTICES}", f"more than {MAX_VERTICES} vertices in all")
        features.append(BoundaryFeature(i + 1, name, code, to_lonlat(geom), props))
    if problems:
        raise SpatialError(problems)
    return features


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    return value


def _pick(props: dict[str, Any], keys: tuple[str, ...]) -> str:
    lowered = {k.lower(): v for k, v in props.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _to_cgcs2000(source: str, crs_text: str | None, coordinates: Coordinates) -> Any:
    """A function turning a geometry in the file's coordinates into CGCS2000 lon/lat."""
    crs = None
    if crs_text:
        try:
            crs = CRS.from_user_input(crs_text)
        except Exception:
            raise _fail(source, f"无法识别坐标系 {crs_text}", f"unknown coordinate reference system {crs_text}") from None
    if crs is not None and crs.is_projected:
        if coordinates == "gcj02":
            raise _fail(source, "投影坐标文件不可能是 GCJ-02", "a projected file cannot be in GCJ-02")
        projected = Transformer.from_crs(crs, "EPSG:4490", always_xy=True)
        return lambda g: apply_xy(g, projected.transform)
    if coordinates == "gcj02":
        return geometry_gcj02_to_wgs84
    return lambda g: g
