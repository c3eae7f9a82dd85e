"""The hostile corpus: small generator functions, one per file, each making bytes an attacker or a careless
export could send. Every importer runs every file (tests/core/test_hostile_files.py,
tests/web/test_hostile_files.py) and must answer with a clear error, or accept the file safely —
never a 500, a crash or a partial write. docs/hostile-files.md is generated from these results.

A file is made from a ``Shape``: a real report template for the target programme, period and town,
so that a report-shaped file differs from a good upload in exactly one hostile way.

To add an importer, add an adapter returning an ``Outcome`` for each file and a column to the table;
to add a file, append a ``Hostile`` below (``must_refuse`` when no importer may accept it).
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import openpyxl

from xiaozhen.codes import credit_code_check_char
from xiaozhen.reports import LEDGER_SHEET, REPORT_SHEET


@dataclass(frozen=True)
class Shape:
    """What a realistic file for the importer under test looks like."""

    template: bytes  # a report template built for the programme, period and towns
    town: str  # a town id the uploader may report for
    programme: str
    period: str
    amount: str  # an amount indicator (万元 or 亿元) reported by the programme
    unit: str  # its unit
    push_values: dict[str, Any]  # values a valid API push for ``town`` sends
    push_ledger: list[dict[str, Any]] = field(default_factory=list)
    #: where a sound boundary of ``town`` lies (lon, lat): Tongzhou, Nantong, in Jiangsu
    lonlat: tuple[float, float] = (120.95, 32.05)


@dataclass(frozen=True)
class Hostile:
    name: str
    filename: str
    covers: str  # what it tries, for the table
    make: Callable[[Shape], bytes]
    must_refuse: bool = True  # no importer may accept it …
    sound_file: bool = False  # … except one that keeps the file unread (materials): it is a sound Office file


@dataclass(frozen=True)
class Outcome:
    refused: bool
    message: str  # the message a person sees (first problem), or what was accepted

    def cell(self) -> str:
        return ("refused: " if self.refused else "accepted: ") + self.message


# ------------------------------------------------------------------ building blocks

def _edit(shape: Shape, edit: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(shape.template))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return _restamped(out.getvalue())


def _columns(sheet, id_row: int) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[id_row] if c.value is not None}


def _town_row(sheet, town: str) -> int:
    for row in sheet.iter_rows(min_row=5, max_col=1):
        if row[0].value == town:
            return row[0].row
    raise LookupError(town)


def _filled(shape: Shape, cell: Any = None, *, project: str = "家纺产业园二期", ledger_extra: Any = None) -> bytes:
    """The template with ``shape.town``'s push values typed in (``cell`` replacing the amount) and its ledger."""
    def edit(book: openpyxl.Workbook) -> None:
        report = book[REPORT_SHEET]
        cols = _columns(report, 4)
        row = _town_row(report, shape.town)
        for ident, value in shape.push_values.items():
            report.cell(row, cols[ident], value)
        if cell is not None:
            _text(report.cell(row, cols[shape.amount]), cell)
        ledger = book[LEDGER_SHEET]
        lcols = _columns(ledger, 3)
        for offset, item in enumerate(shape.push_ledger):
            values = {"town_id": shape.town, **item}
            if offset == 0:
                values["project_name"] = project
            for ident, value in values.items():
                if ident in lcols:
                    _text(ledger.cell(4 + offset, lcols[ident]), value)
    return _edit(shape, edit)


def _text(cell: Any, value: Any) -> None:
    """Type ``value``; text starting with = stays text (openpyxl would write a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


#: Every zip entry gets this time stamp, not the clock's: the bytes of a file (and so where a reader first
#: trips over them, e.g. "bad byte at 10" for an xlsx pushed as JSON) must not depend on the time of day.
_STAMP = (2026, 1, 1, 0, 0, 0)


def _put(z: zipfile.ZipFile, name: str, data: str | bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_STAMP)
    info.compress_type = z.compression
    z.writestr(info, data)


def _restamped(data: bytes) -> bytes:
    """The same zip with every entry stamped ``_STAMP`` (openpyxl stamps entries with the clock)."""
    return _rewrite(data, "", lambda body: body, add_missing=False)


def _rewrite(data: bytes, part: str, change: Callable[[bytes], bytes], *, add_missing: bool = True) -> bytes:
    """The zip with one part's bytes changed (or added when missing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            body = src.read(name)
            _put(dst, name, change(body) if name == part else body)
        if add_missing and part not in names:
            _put(dst, part, change(b""))
    return out.getvalue()


def _set_cell(shape: Shape, ref: str, value: Any = 1) -> bytes:
    return _edit(shape, lambda book: book[REPORT_SHEET].__setitem__(ref, value))


def _with_dtd(data: bytes, part: str, dtd: bytes) -> bytes:
    def change(body: bytes) -> bytes:
        head, _, rest = body.partition(b"?>")
        return head + b"?>" + dtd + rest if rest else dtd + body
    return _rewrite(data, part, change)


BILLION_LAUGHS = (
    b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
               for i in range(1, 10))
    + b"]>"
)
XXE = b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _raw_xlsx(sheet_xml: bytes, *, pad: tuple[str, bytes] | None = None) -> bytes:
    """A minimal workbook with one sheet whose XML is given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        _put(z, "[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"))
        _put(z, "_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        _put(z, "xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            f'<sheet name="{REPORT_SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        _put(z, "xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"))
        _put(z, "xl/worksheets/sheet1.xml", sheet_xml)
        if pad:
            _put(z, *pad)
    return out.getvalue()


def _sheet(rows: str, dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{rows}</sheetData></worksheet>").encode()


def _dense(rows: int, columns: int) -> bytes:
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{_letters(c)}{r}"><v>{r * c}</v></c>' for c in range(1, columns + 1)) + "</row>"
        for r in range(1, rows + 1))
    return _raw_xlsx(_sheet(body))


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _big_part(size: int) -> bytes:
    """A workbook with an extra part of ``size`` spaces: compresses about 1000 to 1."""
    return _raw_xlsx(_sheet('<row r="1"><c r="A1"><v>1</v></c></row>'), pad=("xl/media/pad.xml", b" " * size))


def _incompressible(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        _put(z, "[Content_Types].xml", "<Types/>")
        _put(z, "xl/workbook.xml", "<workbook/>")
        _put(z, "xl/media/image1.bin", os.urandom(size))
    return out.getvalue()


def _docx(extra: tuple[str, bytes] | None = None, document: bytes = b"<w:document/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        _put(z, "[Content_Types].xml", "<Types/>")
        _put(z, "word/document.xml", document)
        if extra:
            _put(z, *extra)
    return out.getvalue()


def _push(shape: Shape, values: dict[str, Any] | None = None, ledger: list[dict[str, Any]] | None = None,
          **over: Any) -> dict[str, Any]:
    body = {"town": shape.town, "programme": shape.programme, "period": shape.period,
            "values": {**shape.push_values, **(values or {})},
            "ledger": ledger if ledger is not None else shape.push_ledger,
            "idempotency_key": f"hostile-{uuid.uuid4().hex[:12]}"}
    body.update(over)
    return body


def _json(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


# ------------------------------------------------------------- boundaries (GeoJSON, zipped Shapefile, KML)

def _ring(lon: float, lat: float, r: float = 0.01) -> list[list[float]]:
    """A small irregular closed ring around (lon, lat), as a town boundary is."""
    points = [[round(lon + r * (1 + 0.15 * math.sin(3 * a)) * math.cos(a), 7),
               round(lat + 0.8 * r * (1 + 0.15 * math.sin(3 * a)) * math.sin(a), 7)]
              for a in (2 * math.pi * i / 16 for i in range(16))]
    return [*points, points[0]]


def _geojson(ring: list[list[float]], coordinates: Any = None) -> bytes:
    geometry = {"type": "Polygon", "coordinates": [ring] if coordinates is None else coordinates}
    return _json({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "川姜家纺小镇"}, "geometry": geometry}]})


@cache  # the same bytes for every importer: made once
def _huge_geojson(positions: int) -> bytes:
    """One ring of ``positions`` repeated positions: a few MB that GDAL would parse into hundreds of MB."""
    return (b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":'
            b'{"type":"Polygon","coordinates":[[' + b"[120.9,32.0]," * positions + b"[120.9,32.0]]]}}]}")


def _deep_geojson(depth: int) -> bytes:
    return (b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":'
            b'{"type":"Polygon","coordinates":' + b"[" * depth + b"]" * depth + b"}}]}")


def _kml(coordinates: str, dtd: bytes = b"", name: str = "川姜家纺小镇") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>' + dtd
            + f'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>{name}</name><Polygon><outerBoundaryIs>'
              f"<LinearRing><coordinates>{coordinates}</coordinates></LinearRing></outerBoundaryIs></Polygon>"
              "</Placemark></kml>".encode())


def _kml_coordinates(ring: list[list[float]]) -> str:
    return " ".join(f"{x},{y},0" for x, y in ring)


def _shapefile(ring: list[list[float]], *, crs: str = "EPSG:4490", parts: tuple[str, ...] = (".shp", ".shx", ".dbf", ".prj", ".cpg"),
               patch_shp: Callable[[bytes], bytes] | None = None) -> bytes:
    """A zipped Shapefile of one polygon (written by GDAL), keeping only ``parts``."""
    import numpy as np
    import shapely
    from pyogrio import raw

    with tempfile.TemporaryDirectory(prefix="hostile-shp-") as folder:
        path = os.path.join(folder, "boundary.shp")
        raw.write(path, np.array([shapely.to_wkb(shapely.Polygon(ring))], dtype=object),
                  [np.array(["川姜家纺小镇"], dtype=object)], ["name"], driver="ESRI Shapefile", crs=crs,
                  geometry_type="Polygon", encoding="UTF-8")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for suffix in parts:
                with open(os.path.join(folder, "boundary" + suffix), "rb") as f:
                    body = f.read()
                _put(z, "boundary" + suffix, patch_shp(body) if patch_shp and suffix == ".shp" else body)
    return out.getvalue()


def _gauss_kruger(ring: list[list[float]]) -> list[list[float]]:
    """The ring in metres (CGCS2000 3-degree Gauss-Krüger, central meridian 120°E, EPSG:4549)."""
    from pyproj import Transformer

    to_gk = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True)
    return [list(to_gk.transform(x, y)) for x, y in ring]


def _claims_a_gigabyte(shp: bytes) -> bytes:
    """The .shp with its header claiming 1 GB and its first record claiming 100,000,000 points."""
    body = bytearray(shp)
    body[24:28] = struct.pack(">i", 1024 ** 3 // 2)  # the file length, in 16-bit words
    points_at = 100 + 8 + 4 + 32 + 4  # record header, shape type, box, number of parts
    body[points_at:points_at + 4] = struct.pack("<i", 100_000_000)
    return bytes(body)


@cache  # the same bytes for every importer: made once
def _shapefile_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        _put(z, "boundary.shp", b"\0" * size)
        _put(z, "boundary.shx", b"\0" * 100)
        _put(z, "boundary.dbf", b"\0" * 100)
    return out.getvalue()


@cache  # the same bytes for every importer: made once
def _lying_zip(size: int) -> bytes:
    """A zipped Shapefile whose directory says its .shp holds 10 bytes; it inflates to ``size``."""
    data = _shapefile_bomb(size)
    real = struct.pack("<I", size)
    assert data.count(real) == 2, "the local header and the directory each give the size once"
    return data.replace(real, struct.pack("<I", 10))


# ------------------------------------------------------------------ enterprise registry (per-mu)

def _credit(n: int) -> str:
    first = f"91320612MA{n:07d}"
    return first + credit_code_check_char(first)


def _firms(shape: Shape, **over: Any) -> bytes:
    """A county registry CSV (docs/per-mu.md) with one sound firm of ``shape.town`` and ``over`` changed."""
    row = {"credit_code": _credit(1), "name": "南通川姜家纺有限公司", "town_id": shape.town, "year": "2025",
           "above_scale": "是", "land_owned_mu": "52.5", "tax": "830.2", **over}
    return (",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n").encode()


@cache  # the same bytes for every importer: made once
def _parquet_rows(rows: int) -> bytes:
    """A Parquet file of a few KB declaring ``rows`` rows (one repeated value, run-length encoded)."""
    import polars as pl

    out = io.BytesIO()
    pl.DataFrame({"year": pl.repeat(2025, rows, eager=True, dtype=pl.Int32)}).write_parquet(out)
    return out.getvalue()


MB = 1024 * 1024

# ------------------------------------------------------------------------- corpus

CORPUS: list[Hostile] = [
    # sheets a reader would materialise as a huge grid
    Hostile("xfd-cell", "report-xfd.xlsx", "one cell at XFD1048576 (the 512 GiB allocation)",
            lambda s: _set_cell(s, "XFD1048576"), sound_file=True),
    Hostile("lying-dimension", "dimension.xlsx", "<dimension ref=A1:XFD1048576> over one cell",
            lambda s: _raw_xlsx(_sheet('<row r="1"><c r="A1"><v>1</v></c></row>', "A1:XFD1048576")), sound_file=True),
    Hostile("row-100001", "rows.xlsx", "a cell one row past the 100,000-row limit", lambda s: _set_cell(s, "A100001"), sound_file=True),
    Hostile("column-1001", "columns.xlsx", "a cell one column past the 1,000-column limit (ALM)",
            lambda s: _set_cell(s, "ALM5"), sound_file=True),
    Hostile("sparse-corners", "corners.xlsx", "cells at A1 and ALL2001: 2,001 × 1,000 cells to build",
            lambda s: _raw_xlsx(_sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="2001"><c r="ALL2001"><v>1</v></c></row>')), sound_file=True),
    Hostile("no-refs", "no-refs.xlsx", "1,200 cells in a row with no r= attributes (counted by position)",
            lambda s: _raw_xlsx(_sheet("<row>" + "<c><v>1</v></c>" * 1200 + "</row>")), sound_file=True),
    Hostile("dense-sheet", "dense.xlsx", "a dense sheet: 2,000 rows × 50 numbers, not a template", lambda s: _dense(2000, 50), sound_file=True),
    # zip bombs and oversize files
    Hostile("zip-bomb", "bomb.xlsx", "a part inflating to 101 MB (about 100 KB on disk)", lambda s: _big_part(101 * MB)),
    Hostile("zip-ratio", "ratio.xlsx", "a 2 MB part compressed about 1000 to 1", lambda s: _big_part(2 * MB), sound_file=True),
    Hostile("too-large", "large.xlsx", "a 21 MB workbook (limit 20 MB)", lambda s: _incompressible(21 * MB)),
    Hostile("docx-bomb", "bomb.docx", "a Word file with a part inflating to 301 MB",
            lambda s: _docx(("word/media/pad.xml", b" " * (301 * MB)))),
    # XML entities
    Hostile("billion-laughs", "laughs.xlsx", "the report sheet declares nested entities (billion laughs)",
            lambda s: _with_dtd(_filled(s), "xl/worksheets/sheet1.xml", BILLION_LAUGHS)),
    Hostile("xxe", "xxe.xlsx", "workbook.xml declares an external entity (file:///etc/passwd)",
            lambda s: _with_dtd(_filled(s), "xl/workbook.xml", XXE)),
    Hostile("docx-laughs", "laughs.docx", "a Word file whose document declares nested entities",
            lambda s: _docx(document=b'<?xml version="1.0"?>' + BILLION_LAUGHS.replace(b"worksheet", b"document")
                            + b"<w:document>&lol9;</w:document>")),
    # not what the name says
    Hostile("not-a-zip", "text.xlsx", "plain text named .xlsx", lambda s: "小镇,投资\n川姜,3\n".encode()),
    Hostile("truncated", "truncated.xlsx", "a report cut off half way", lambda s: _filled(s)[: len(_filled(s)) // 2]),
    Hostile("empty", "empty.xlsx", "zero bytes", lambda s: b""),
    Hostile("exe", "report.xlsx", "a Windows program named .xlsx", lambda s: b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00"),
    # control characters
    Hostile("nul-in-cell", "nul.xlsx", "a NUL (written _x0000_, as Excel escapes it) in a ledger project name",
            lambda s: _filled(s, project="家纺_x0000_园"), sound_file=True),
    Hostile("control-in-project", "control.xlsx", "a ledger project name holding U+0001",
            lambda s: _filled(s, project="家纺_x0001_园"), sound_file=True),
    # values that are not figures
    Hostile("formula-in-figure", "formula.xlsx", "=1+1 typed as text in an amount cell", lambda s: _filled(s, "=1+1"), sound_file=True),
    Hostile("dde", "dde.xlsx", "=cmd|' /C calc'!A0 in an amount cell", lambda s: _filled(s, "=cmd|' /C calc'!A0"), sound_file=True),
    Hostile("nan", "nan.xlsx", "NaN typed in an amount cell", lambda s: _filled(s, "NaN"), sound_file=True),
    Hostile("inf", "inf.xlsx", "inf typed in an amount cell", lambda s: _filled(s, "inf"), sound_file=True),
    Hostile("wrong-unit", "unit.xlsx", "an amount with another unit (12.5 元 in a 万元/亿元 column)",
            lambda s: _filled(s, "12.5 元"), sound_file=True),
    # names that are attacks on whoever opens an export or a page (accepted as plain text, escaped on the way out)
    Hostile("formula-name", "formula-name.xlsx", "a ledger project named =HYPERLINK(…)",
            lambda s: _filled(s, project='=HYPERLINK("http://evil.example","点此")'), must_refuse=False),
    Hostile("xss-name", "xss.xlsx", "a ledger project named <script>alert(1)</script>",
            lambda s: _filled(s, project="<script>alert(1)</script>"), must_refuse=False),
    # text files
    Hostile("csv-bad-utf8", "bad.csv", "a CSV with bytes that are neither UTF-8 nor GBK",
            lambda s: b"town_id,name\nT1,\xff\xfe\xfa\xfb\n"),
    Hostile("csv-gbk", "gbk.csv", "a CSV in GBK with a formula-like name (readable, not a report)",
            lambda s: "town_id,name\nT1,=川姜\n".encode("gbk"), must_refuse=False),
    Hostile("csv-nul", "nul.csv", "a CSV holding NUL bytes", lambda s: b"town_id,name\nT1,a\x00b\n"),
    Hostile("csv-too-large", "large.csv", "a 21 MB CSV (limit 20 MB)",
            lambda s: b"town_id,name\n" + b"T1,abcdefghij\n" * (21 * MB // 14)),
    # JSON: API pushes and JSON facts
    Hostile("json-deep", "deep.json", "JSON nested 100,000 deep", lambda s: b"[" * 100_000 + b"]" * 100_000),
    Hostile("json-nan", "nan.json", "a push with NaN as a figure",
            lambda s: json.dumps(_push(s, {s.amount: float("nan")})).encode()),
    Hostile("json-inf", "inf.json", "a push with Infinity as a figure",
            lambda s: json.dumps(_push(s, {s.amount: float("inf")})).encode()),
    Hostile("json-nul", "nul.json", "a push whose ledger project name holds \\u0000",
            lambda s: _json(_push(s, ledger=[{**row, "project_name": "家纺\u0000园"} if i == 0 else row
                                               for i, row in enumerate(s.push_ledger)]))),
    Hostile("json-nul-key", "nul-key.json", "a push whose idempotency key holds \\u0000",
            lambda s: _json(_push(s, idempotency_key="key\u0000"))),
    Hostile("json-surrogate", "surrogate.json", "a push whose town is a lone surrogate (\\ud800)",
            lambda s: _json(_push(s)).replace(f'"town": "{s.town}"'.encode(), b'"town": "\\ud800"')),
    Hostile("json-bad-utf8", "bad-utf8.json", "a push whose bytes are not UTF-8",
            lambda s: _json(_push(s)).replace(f'"period": "{s.period}"'.encode(), b'"period": "\xff\xfe"')),
    Hostile("json-too-large", "large.json", "a 3 MB push (Django's body limit is 2.5 MB)",
            lambda s: _json(_push(s, note="x" * (3 * MB)))),
    Hostile("json-formula-name", "formula-name.json", "a push with a ledger project named =HYPERLINK(…) and <script>",
            lambda s: _json(_push(s, ledger=[{**row, "project_name": '=HYPERLINK("http://evil.example","<script>")'}
                                             if i == 0 else row for i, row in enumerate(s.push_ledger)])),
            must_refuse=False),
    Hostile("json-wrong-unit", "unit.json", "a push with an amount in another unit",
            lambda s: _json(_push(s, {s.amount: "12.5 元"}))),
    # boundaries: GeoJSON, zipped Shapefile, KML (the boundary upload, issue 13)
    Hostile("geojson-huge-array", "huge.geojson", "a GeoJSON ring of 1,000,000 positions in 13 MB (GDAL would take +600 MB)",
            lambda s: _huge_geojson(1_000_000)),
    Hostile("geojson-deep", "deep.geojson", "a GeoJSON polygon whose coordinates nest 100,000 deep",
            lambda s: _deep_geojson(100_000)),
    Hostile("geojson-self-intersecting", "bowtie.geojson", "a bow-tie boundary (its edges cross)",
            lambda s: _geojson([[s.lonlat[0], s.lonlat[1]], [s.lonlat[0] + 0.02, s.lonlat[1] + 0.02],
                                [s.lonlat[0] + 0.02, s.lonlat[1]], [s.lonlat[0], s.lonlat[1] + 0.02],
                                [s.lonlat[0], s.lonlat[1]]])),
    Hostile("geojson-swapped", "swapped.geojson", "latitude written before longitude",
            lambda s: _geojson([[y, x] for x, y in _ring(*s.lonlat)])),
    Hostile("geojson-other-province", "far.geojson", "a sound boundary drawn in Guangxi (Nanning) for a Jiangsu town",
            lambda s: _geojson(_ring(108.38, 22.80))),
    Hostile("kml-laughs", "laughs.kml", "KML declaring nested entities (billion laughs)",
            lambda s: _kml(_kml_coordinates(_ring(*s.lonlat)), BILLION_LAUGHS.replace(b"worksheet", b"kml"), "&lol9;")),
    Hostile("kml-xxe", "xxe.kml", "KML naming the town with an external entity (file:///etc/passwd)",
            lambda s: _kml(_kml_coordinates(_ring(*s.lonlat)), XXE.replace(b"workbook", b"kml"), "&xxe;")),
    Hostile("kml-unclosed", "unclosed.kml", "a KML ring of three points that never closes",
            lambda s: _kml(_kml_coordinates(_ring(*s.lonlat)[:3]))),
    Hostile("shp-zip-bomb", "bomb-shp.zip", "a zipped Shapefile whose .shp inflates to 101 MB",
            lambda s: _shapefile_bomb(101 * MB)),
    Hostile("shp-lying-zip", "lying-shp.zip", "a zipped Shapefile whose directory says 10 bytes; the .shp inflates to 30 MB",
            lambda s: _lying_zip(30 * MB)),
    Hostile("shp-claims-1gb", "claims-shp.zip", "a .shp whose header claims 1 GB and a record 100,000,000 points",
            lambda s: _shapefile(_ring(*s.lonlat), patch_shp=_claims_a_gigabyte)),
    Hostile("shp-no-dbf", "no-dbf.zip", "a zipped Shapefile without its .dbf",
            lambda s: _shapefile(_ring(*s.lonlat), parts=(".shp", ".shx", ".prj"))),
    Hostile("shp-no-prj", "no-prj.zip", "a Shapefile in Gauss-Krüger metres without its .prj",
            lambda s: _shapefile(_gauss_kruger(_ring(*s.lonlat)), crs="EPSG:4549", parts=(".shp", ".shx", ".dbf", ".cpg"))),
    # the county enterprise registry (per-mu)
    Hostile("firms-control", "firms-control.csv", "a firm name holding U+0001",
            lambda s: _firms(s, name="南通\x01家纺")),
    Hostile("firms-wrong-unit", "firms-unit.csv", "land of 20,000,000 亩 (square metres typed as 亩)",
            lambda s: _firms(s, land_owned_mu="20000000")),
    Hostile("firms-parquet-rows", "firms.parquet", "a Parquet file of a few KB declaring 5,000,000 rows",
            lambda s: _parquet_rows(5_000_000)),
    Hostile("firms-formula-name", "firms-formula.csv", "a firm named =HYPERLINK(…) (kept as text, escaped on export)",
            lambda s: _firms(s, name='=HYPERLINK(""http://evil.example"",""点此"")'), must_refuse=False),
]

BY_NAME = {h.name: h for h in CORPUS}
