"""One cell → a typed value, or a bilingual reason why not.

The rules are those of docs/facts-format.md (Values): numbers are never
negative, counts and years are whole, a share is a fraction 0–1 or a
percentage written with %, and a bare number above 1 is refused because it
could mean 72 % or a slip for 0.72. A report cell may also carry its unit
("12.5 亿元"); a different unit is refused with the converted figure as a hint
rather than converted silently.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from ..facts import plausibility_problem
from ..policy import Indicator
from ..safefiles import find_control_character
from ._errors import ExcelError
from ._results import Value

TRUE_WORDS = frozenset({"是", "yes", "y", "true", "t", "1", "有", "√"})
FALSE_WORDS = frozenset({"否", "no", "n", "false", "f", "0", "无", "×"})
#: Money units and their size in 元, for the unit check of amounts.
MONEY_UNITS = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
_NUMBER_WITH_UNIT = re.compile(r"^\s*([-+]?[0-9][0-9,，]*(?:\.[0-9]*)?|[-+]?\.[0-9]+)\s*([^\d.,，\s].*?)?\s*$")
YEAR_RANGE = (1900, 2100)

Converter = Callable[[Any], Value]


class CellError(ValueError):
    """A cell that cannot be used, with the reason in Chinese and in English."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text; spreadsheets give whole numbers as floats (101.0 → "101")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def in_sentence(label: str) -> str:
    """An English label inside a sentence: "Project investment" → "project investment", "R&D …" kept."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def _shown(value: Any) -> str:
    return as_text(value) if isinstance(value, float) else repr(value) if isinstance(value, str) else str(value)


def _not_a_date(value: Any) -> None:
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(
            f"这是日期或时间 ({value})，应为数字；请把单元格格式改为“常规”后重新填写",
            f"this is a date or time ({value}); expected a number: set the cell format to General and type it again",
        )


def _number(value: Any, indicator: Indicator) -> float:
    """A number in the indicator's unit; the unit may be written after it."""
    if type(value) is float:  # nearly every cell: the fast path
        if not math.isfinite(value):
            raise CellError(f"{_shown(value)} 不是有限的数字", f"{_shown(value)} is not a finite number")
        return value
    _not_a_date(value)
    if isinstance(value, bool):
        raise CellError("应为数字，而不是是/否", "expected a number, got a yes/no value")
    if isinstance(value, int | float):
        number = float(value)
    else:
        match = _NUMBER_WITH_UNIT.match(str(value))
        if match is None:
            raise CellError(f"应为数字，而不是 {value!r}", f"expected a number, got {value!r}")
        number = float(match.group(1).replace(",", "").replace("，", ""))
        unit = match.group(2)
        if unit and unit != indicator.unit:
            _wrong_unit(value, number, unit, indicator)
    if not math.isfinite(number):
        raise CellError(f"{_shown(value)} 不是有限的数字", f"{_shown(value)} is not a finite number")
    return number


def _wrong_unit(value: Any, number: float, unit: str, indicator: Indicator) -> None:
    if unit in MONEY_UNITS and indicator.unit in MONEY_UNITS:
        converted = number * MONEY_UNITS[unit] / MONEY_UNITS[indicator.unit]
        raise CellError(
            f"单位应为{indicator.unit}：{value!r} 折合 {converted:g} {indicator.unit}，请只填数字 {converted:g}",
            f"the unit is {indicator.unit}: {value!r} is {converted:g} {indicator.unit}; write the number {converted:g} only",
        )
    raise CellError(
        f"单位应为{indicator.unit}，而不是 {unit!r}；请只填数字",
        f"the unit is {indicator.unit}, not {unit!r}; write the number only",
    )


def _non_negative(number: float, value: Any, indicator: Indicator) -> float:
    if number < 0:
        raise CellError(
            f"{_shown(value)} 为负数，{indicator.label.zh}不能为负",
            f"{_shown(value)} is negative; {in_sentence(indicator.label.en)} cannot be negative",
        )
    return number


def _whole(number: float, value: Any) -> float:
    if number != int(number):
        raise CellError(f"应为整数，而不是 {_shown(value)}", f"expected a whole number, got {_shown(value)}")
    return number


def to_amount(value: Any, indicator: Indicator) -> float:
    return _non_negative(_number(value, indicator), value, indicator)


def to_count(value: Any, indicator: Indicator) -> float:
    return _whole(to_amount(value, indicator), value)


def to_year(value: Any, indicator: Indicator) -> float:
    year = _whole(_number(value, indicator), value)
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise CellError(f"年份 {_shown(value)} 不在 {low}–{high} 之间", f"year {_shown(value)} is outside {low}–{high}")
    return year


def to_share(value: Any, indicator: Indicator) -> float:
    """A fraction 0–1 (a cell formatted as % holds one), or text with a % sign ("72%")."""
    _not_a_date(value)
    text = value.strip() if isinstance(value, str) else None
    if text and text.endswith(("%", "％")):
        number = _number(text[:-1], indicator) / 100
    else:
        number = _number(value, indicator)
        if number > 1:
            raise CellError(
                f"占比 {_shown(value)} 大于 1：请写成小数 (0.72) 或带 % 的百分数 (72%)",
                f"share {_shown(value)} is above 1: write a fraction 0–1 (0.72) or a percentage with % (72%)",
            )
    if not 0 <= number <= 1:
        raise CellError(
            f"占比 {_shown(value)} 不在 0–1 (0%–100%) 之间",
            f"share {_shown(value)} is outside 0–1 (0 %–100 %)",
        )
    return number


def to_boolean(value: Any, indicator: Indicator) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = as_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        f"应填“是”或“否”(也可写 yes/no、1/0)，而不是 {_shown(value)}",
        f"expected 是 or 否 (yes/no, 1/0), got {_shown(value)}",
    )


def to_text(value: Any, indicator: Indicator) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return as_text(value)


_BY_TYPE: dict[str, Callable[[Any, Indicator], Value]] = {
    "amount": to_amount,
    "number": to_amount,
    "count": to_count,
    "year": to_year,
    "share": to_share,
    "boolean": to_boolean,
    "text": to_text,
}


def refuse_excel_error(value: Any) -> None:
    if isinstance(value, ExcelError):
        raise CellError(
            f"单元格是 Excel 错误值 {value}(公式出错)，请填写数值",
            f"the cell holds the Excel error {value} (a formula failed): type the figure instead",
        )


def converter_for(indicator: Indicator) -> Converter:
    """The function that turns one of this indicator's cells into its value."""
    convert = _BY_TYPE[indicator.type]

    def converter(value: Any) -> Value:
        if type(value) is ExcelError:
            refuse_excel_error(value)
        converted = convert(value, indicator)
        # Checked here, at the door, where the cell is known (not later, when the values are stored).
        problem = plausibility_problem(indicator, converted)
        if problem is not None:
            raise CellError(*problem)
        return converted

    return converter


def refuse_control_characters(value: Any) -> None:
    """NUL and other control characters: PostgreSQL refuses NUL, and no XLSX export can hold them."""
    if not isinstance(value, str):
        return
    at = find_control_character(value)
    if at is not None:
        code = "NUL" if value[at] == "\x00" else f"U+{ord(value[at]):04X}"
        raise CellError(
            f"含有不能保存的字符 {code}(控制字符或无效编码)，请删除",
            f"holds {code}, a control character or broken encoding that cannot be stored: remove it",
        )
