"""Read boundaries from GeoJSON, a zipped Shapefile or KML through pyogrio (GDAL), into CGCS2000 lon/lat.

Limits (defaults of xiaozhen, not from a seed; they keep a hostile upload from exhausting the server):
files up to ``MAX_FILE_BYTES``; a zip with at most ``MAX_ZIP_MEMBERS`` members, ``MAX_UNZIPPED_BYTES``
in total (counted while inflating: the zip's directory may lie) and no member expanding more than
``MAX_ZIP_RATIO`` times; no member path leaving the archive; at most ``MAX_FEATURES`` features and
``MAX_VERTICES`` vertices in all.

Checked before GDAL sees the bytes (docs/hostile-files.md): GeoJSON nested deeper than
``safefiles.DEFAULT_LIMITS.max_depth`` or holding more than ``MAX_GEOJSON_POSITIONS`` positions (GDAL parses
GeoJSON whole, about 500 bytes and 10–20 µs a position: a 6 MB file of one million positions took
+600 MB and 10 s), and KML declaring a DTD or entities (billion laughs, external entities). A ring GDAL cannot
close, or any geometry GEOS refuses, is a problem of that feature, not a crash.

Coordinates: the file's own CRS is honoured (a projected one such as EPSG:4549 is converted to EPSG:4490);
longitude/latitude files are read as WGS84 = CGCS2000 (centimetres apart), unless the caller says they are
GCJ-02 (web-map coordinates, which no file format can declare): then they are converted with
``gcj02_to_wgs84`` (see _gcj02.py for the method and its accuracy).
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely import Geometry
from shapely.errors import ShapelyError

from .. import safefiles
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
#: GeoJSON is parsed whole by GDAL (measured on a loaded 2-core machine: 200,000 positions +100 MB and 4 s,
#: 500,000 +250 MB), so it holds fewer; a larger layer comes as a zipped Shapefile or KML, which GDAL reads far
#: more cheaply (KML: 500,000 positions +34 MB, 0.5 s).
MAX_GEOJSON_POSITIONS = 100_000
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
    if kind == "geojson":
        _check_geojson(source, data)
    else:
        _check_kml(source, data)
    return _read_ogr(source, data, coordinates, encoding=None)


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _check_geojson(source: str, data: bytes) -> None:
    """Refuse, before GDAL parses it whole, GeoJSON nested too deep or holding too many positions."""
    limit = safefiles.DEFAULT_LIMITS.max_depth
    brackets = np.frombuffer(_STRING.sub(b'""', data).translate(None, _NOT_BRACKETS), dtype=np.uint8)
    depth = np.cumsum(((brackets == ord("[")) | (brackets == ord("{"))).astype(np.int32)
                      - ((brackets == ord("]")) | (brackets == ord("}"))))
    if depth.size and int(depth.max()) > limit:
        raise _fail(source, f"JSON 嵌套超过 {limit} 层，不是 GeoJSON", f"the JSON is nested deeper than {limit} levels: not GeoJSON")
    positions = data.count(b"[")  # every position opens one; an upper bound, counted in C
    if positions > MAX_GEOJSON_POSITIONS:
        raise _fail(source, f"GeoJSON 含约 {positions:,} 个坐标，超过上限 {MAX_GEOJSON_POSITIONS:,}；"
                            "更大的图层请用压缩的 Shapefile(.zip)或 KML 上传",
                    f"the GeoJSON holds about {positions:,} positions, over the limit of {MAX_GEOJSON_POSITIONS:,}: "
                    "upload a larger layer as a zipped Shapefile (.zip) or KML")


def _check_kml(source: str, data: bytes) -> None:
    """Refuse KML declaring a DTD or entities: a billion-laughs or external-entity (XXE) attack; KML never needs one."""
    if _DTD.search(data):
        raise _fail(source, "KML 含有 DTD/实体声明(可被用于“十亿笑声”或外部实体攻击)，KML 文件不应含有",
                    "the KML declares a DTD or entities (as billion-laughs and external-entity attacks do); "
                    "KML files never need one")


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
        inflated = 0
        for suffix, member in parts.items():
            inflated = _inflate_to(source, archive, member, Path(tmp) / f"layer{suffix}", inflated)
        encoding = None if ".cpg" in parts else DBF_DEFAULT_ENCODING
        return _read_ogr(source, Path(tmp) / "layer.shp", coordinates, encoding=encoding)


def _inflate_to(source: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, total: int) -> int:
    """Inflate one member to ``target`` in 64 KB chunks, counting what really comes out (not the directory's word)."""
    mb = MAX_UNZIPPED_BYTES // (1024 * 1024)
    size = 0
    try:
        with archive.open(member) as src, target.open("wb") as out:
            while chunk := src.read(64 * 1024):
                size += len(chunk)
                total += len(chunk)
                if total > MAX_UNZIPPED_BYTES:
                    raise _fail(source, f"解压后超过 {mb} MB(疑似压缩炸弹)", f"more than {mb} MB once unzipped (a zip bomb?)")
                if size > 1024 * 1024 and size > MAX_ZIP_RATIO * max(member.compress_size, 1):
                    raise _fail(source, f"{member.filename} 压缩比异常(超过 {MAX_ZIP_RATIO} 倍)",
                                f"{member.filename} expands more than {MAX_ZIP_RATIO} times: refused as a zip bomb")
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise _fail(source, f"压缩包内 {member.filename} 已损坏或无法解压({exc})",
                    f"{member.filename} in the zip is damaged or cannot be inflated ({exc})") from None
    return total


_VSIMEM = re.compile(r"/vsimem/pyogrio_[0-9a-f]+")


def _read_ogr(source: str, data: bytes | Path, coordinates: Coordinates, *, encoding: str | None) -> list[BoundaryFeature]:
    from pyogrio import raw
    from pyogrio.errors import DataSourceError, FieldError, GeometryError

    try:
        meta, _fids, wkbs, field_data = raw.read(
            data if isinstance(data, bytes) else str(data), encoding=encoding, max_features=MAX_FEATURES + 1
        )
    except (DataSourceError, FieldError, GeometryError, ValueError, RuntimeError) as exc:
        first = _VSIMEM.sub(source, str(exc).split(";")[0].replace(str(data) if isinstance(data, Path) else "\0", source))
        if "not recognized as being in a supported file format" in first:
            raise _fail(source, "无法识别文件内容：不是 GeoJSON、Shapefile 或 KML", "the content is not GeoJSON, a Shapefile or KML") from None
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
        try:
            geom = shapely.force_2d(shapely.from_wkb(wkb))
        except ShapelyError as exc:  # e.g. a ring GDAL could not close
            reason = str(exc).split(": ", 1)[-1]
            problems.append(SpatialProblem(source, i + 1, f"几何图形无效：{reason}", f"the geometry is not valid: {reason}",
                                           name))
            continue
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
