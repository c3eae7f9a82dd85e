"""The checks run before a file is read: each limit holds at its bound and refuses one step past it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from tests.hostile import _big_part, _raw_xlsx, _sheet

from xiaozhen import safefiles
from xiaozhen.safefiles import (
    Limits,
    UnsafeFile,
    check_office_zip,
    check_text,
    check_workbook,
    load_json,
)

SMALL = Limits(max_rows=100, max_columns=10, max_cells=500, max_uncompressed=200_000, ratio_floor=10_000,
               max_ratio=50, max_depth=4, max_parts=8)


def cell(ref: str) -> bytes:
    row = "".join(ch for ch in ref if ch.isdigit())
    return _raw_xlsx(_sheet(f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{row}"><c r="{ref}"><v>1</v></c></row>'))


def refused(data: bytes, limits: Limits = SMALL) -> str | None:
    try:
        check_workbook(data, source="t.xlsx", limits=limits)
    except UnsafeFile as exc:
        return exc.en
    return None


@pytest.mark.parametrize("ref,ok", [("A100", True), ("A101", False), ("J2", True), ("K2", False),
                                    ("E100", True), ("F100", False)])
def test_the_sheet_area_is_refused_one_step_past_each_limit(ref, ok):
    # 100 rows, 10 columns, 500 cells: E100 is 5 × 100 = 500 cells, F100 is 600.
    assert (refused(cell(ref)) is None) == ok, refused(cell(ref))


def test_the_xfd1048576_cell_is_refused_with_the_area_it_would_build():
    message = refused(cell("XFD1048576"), safefiles.DEFAULT_LIMITS)
    assert message and "1048576 rows × 16384 columns" in message and "t.xlsx" not in message


def test_a_lying_dimension_counts_as_much_as_a_cell():
    data = _raw_xlsx(_sheet('<row r="1"><c r="A1"><v>1</v></c></row>', "A1:K1"))
    assert "11 columns" in (refused(data) or "")


@pytest.mark.parametrize("cells,ok", [(10, True), (11, False)])
def test_cells_without_references_are_counted_by_position(cells, ok):
    data = _raw_xlsx(_sheet("<row>" + "<c><v>1</v></c>" * cells + "</row>"))
    assert (refused(data) is None) == ok


def test_single_quoted_and_prefixed_references_are_read_too():
    data = _raw_xlsx(_sheet("<x:row r='1'><x:c r='K1'><x:v>1</x:v></x:c></x:row>"))
    assert "11 columns" in (refused(data) or "")


def test_a_part_compressed_past_the_ratio_is_refused_and_a_small_one_is_not_judged():
    assert "compressed more than 50 to 1" in (refused(_big_part(20_000)) or "")
    assert refused(_big_part(9_000)) is None  # under the 10,000-byte floor


def test_the_inflated_total_is_refused_past_its_limit():
    limits = Limits(max_uncompressed=200_000, ratio_floor=10**9)
    assert "inflates to 0.2 MB" in (refused(_big_part(200_001), limits) or "")
    assert refused(_big_part(198_000), limits) is None  # with the workbook's other parts, just under


def test_a_part_larger_than_its_directory_entry_is_refused():
    data = bytearray(_big_part(5_000))
    # Shrink the declared size of pad.xml in the central directory: the part now lies about its size.
    at = data.rfind(b"xl/media/pad.xml") - 46 + 24
    data[at:at + 4] = (100).to_bytes(4, "little")
    message = refused(bytes(data)) or ""
    assert "damaged" in message or "larger than its directory" in message or "inflates" in message


@pytest.mark.parametrize("declaration", [b"<!DOCTYPE x>", b'<!ENTITY a "b">', b"<!doctype x>"])
def test_any_dtd_or_entity_declaration_is_refused(declaration):
    data = _raw_xlsx(_sheet("").replace(b"?>", b"?>" + declaration, 1))
    assert "declares a DTD or entities" in (refused(data) or "")


def test_too_many_parts_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in range(9):
            z.writestr(f"word/p{n}.xml", "<x/>")
    with pytest.raises(UnsafeFile, match="9 parts"):
        check_office_zip(out.getvalue(), limits=SMALL)


def test_a_file_one_byte_over_the_size_limit_is_refused():
    data = _raw_xlsx(_sheet(""))
    assert refused(data, Limits(max_bytes=len(data))) is None
    assert "over the" in (refused(data, Limits(max_bytes=len(data) - 1)) or "")


@pytest.mark.parametrize("depth,ok", [(4, True), (5, False)])
def test_json_nesting_is_refused_one_level_past_the_limit(depth, ok):
    text = "[" * depth + "]" * depth
    if ok:
        assert load_json(text, limits=SMALL) is not None
    else:
        with pytest.raises(UnsafeFile, match="deeper than 4"):
            load_json(text, limits=SMALL)


def test_brackets_inside_json_strings_do_not_count_as_nesting():
    assert load_json(json.dumps({"a": "[[[[[[[[[["}), limits=SMALL) == {"a": "[[[[[[[[[["}


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}'])
def test_json_nan_and_infinity_are_refused(text):
    with pytest.raises(UnsafeFile, match="not a JSON value"):
        load_json(text)


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x1f", "\x0b", "\ud800", "\uffff"])
def test_control_characters_and_broken_encoding_are_refused_in_text(bad):
    with pytest.raises(UnsafeFile, match="cannot be stored"):
        check_text(f"川姜{bad}")
    with pytest.raises(UnsafeFile, match=r"values\.name"):
        load_json(json.dumps({"values": {"name": f"a{bad}"}}))


@pytest.mark.parametrize("fine", ["tab\there", "two\nlines", "crlf\r\n", "中文", "emoji 🏭"])
def test_tabs_newlines_and_any_real_character_are_fine(fine):
    check_text(fine)
