"""GB/T 4754-2017 industry codes (国民经济行业分类): a section letter A–T, then a two-digit
division (大类), a three-digit group (中类) or a four-digit class (小类): C34, C345, C3451.

Divisions are numbered 01–97 across all sections, so the digits alone identify a code; the
letter, when given, must be the section that holds the division.
"""

from __future__ import annotations

import re

# Section → first and last division (GB/T 4754-2017, 门类与大类对照).
_SECTIONS: dict[str, tuple[int, int]] = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}
_CODE = re.compile(r"^([A-T])?(\d{2,4})$")


class IndustryCodeError(ValueError):
    """An industry code that is not a GB/T 4754-2017 division, group or class."""


def division_section(division: int) -> str | None:
    for letter, (first, last) in _SECTIONS.items():
        if first <= division <= last:
            return letter
    return None


def normalise_industry_code(code: str) -> str:
    """The digits of a GB/T 4754 code (``C3451`` → ``3451``), or IndustryCodeError saying what is wrong."""
    text = code.strip().upper()
    match = _CODE.match(text)
    if match is None:
        raise IndustryCodeError(
            f"行业代码 {code!r} 不符合 GB/T 4754-2017(门类字母加 2–4 位数字，如 C3451) / "
            f"industry code {code!r} is not GB/T 4754-2017 (a section letter and 2–4 digits, e.g. C3451)"
        )
    letter, digits = match.groups()
    division = int(digits[:2])
    section = division_section(division)
    if section is None:
        raise IndustryCodeError(f"行业代码 {code!r}: 大类 {digits[:2]} 不存在 / industry code {code!r}: "
                                f"there is no division {digits[:2]}")
    if letter is not None and letter != section:
        raise IndustryCodeError(
            f"行业代码 {code!r}: 大类 {digits[:2]} 属于门类 {section}，不是 {letter} / industry code {code!r}: "
            f"division {digits[:2]} is in section {section}, not {letter}"
        )
    return digits
