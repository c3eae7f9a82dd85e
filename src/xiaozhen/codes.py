"""Identifier codes: the unified social credit code (统一社会信用代码, GB 32100-2015).

An 18-character code: registration authority (1), organisation kind (1), the registering
authority's GB/T 2260 region code (6), the body identifier (9, GB 11714) and a check
character (1). Characters come from a 31-symbol alphabet without I, O, Z, S and V.

The check character (GB 32100-2015 §4.3): with the alphabet values C_i of the first 17
characters and weights W_i = 3^(i-1) mod 31, C_18 = 31 - (Σ C_i × W_i mod 31), where 31
means 0.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "CreditCodeProblem",
    "credit_code_check_char",
    "credit_code_problems",
    "is_valid_credit_code",
]

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, …


@dataclass(frozen=True)
class CreditCodeProblem:
    """One thing wrong with a code; ``position`` is 1-based when one character is at fault."""

    position: int | None
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(first17.upper(), _WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not in the GB 32100 alphabet") from None
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problems(code: str) -> list[CreditCodeProblem]:
    """Everything wrong with ``code`` (empty when it is valid). Lower case is accepted."""
    text = code.strip().upper()
    if len(text) != 18:
        return [CreditCodeProblem(None, f"长度须为18位，实际为{len(text)}位", f"must be 18 characters, got {len(text)}")]
    problems = [
        CreditCodeProblem(
            i + 1,
            f"第{i + 1}位“{ch}”不是允许的字符(不含I、O、Z、S、V)",
            f"character {i + 1} {ch!r} is not allowed (I, O, Z, S and V are never used)",
        )
        for i, ch in enumerate(text)
        if ch not in _VALUE
    ]
    if problems:
        return problems
    if not text[2:8].isdigit():
        problems.append(
            CreditCodeProblem(3, "第3至8位须为行政区划代码(6位数字)", "characters 3–8 must be a six-digit region code")
        )
    expected = credit_code_check_char(text[:17])
    if text[17] != expected:
        problems.append(
            CreditCodeProblem(
                18,
                f"校验码错误：第18位应为“{expected}”，实际为“{text[17]}”",
                f"wrong check character: position 18 should be {expected!r}, got {text[17]!r}",
            )
        )
    return problems


def is_valid_credit_code(code: str) -> bool:
    return not credit_code_problems(code)
