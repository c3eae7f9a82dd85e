"""One word for one meaning, across pages, exports, documents and the command line (docs/web.md
"One vocabulary", xiaozhen.glossary): the other spellings of the same meaning appear nowhere.

* the engine's check of a rule is 符合 / 不符合 / 待定 — never 通过 or 未通过 beside pass/fail in lower case
  (the English of a rule's outcome);
* a person's decision is 通过 / 未通过 — never 不通过;
* a rule's strength "should" is 原则上 — never 应当 or 建议 (建议 is what the system proposes).
"""

from __future__ import annotations

import re
from pathlib import Path

from xiaozhen.glossary import term

ROOT = Path(__file__).resolve().parent.parent
#: The glossary defines the words; migrations keep history as it was.
SKIPPED = {ROOT / "src" / "xiaozhen" / "glossary.py"}

OTHER_SPELLINGS = {
    "a person's fail is 未通过": re.compile(r"不通过"),
    "a rule's outcome is 符合/不符合": re.compile(r"(?<!未)通过[\"'\s,/]+(pass|fail)\b|未通过[\"'\s,/]+fail\b"),
    "a rule's should is 原则上": re.compile(r"(应当|建议)[\"'\s,/]+should\b"),
}


def sources() -> list[Path]:
    files = [*ROOT.joinpath("web").rglob("*.html"), *ROOT.joinpath("web").rglob("*.py"),
             *ROOT.joinpath("src").rglob("*.py")]
    return [f for f in files if "migrations" not in f.parts and f not in SKIPPED]


def test_each_meaning_has_one_spelling_in_templates_and_code():
    found = []
    for path in sources():
        text = path.read_text(encoding="utf-8")
        for meaning, pattern in OTHER_SPELLINGS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)!r} ({meaning})")
    assert found == []


def test_the_glossary_holds_the_chosen_words():
    assert (term("outcome", "pass").zh, term("outcome", "fail").zh, term("outcome", "unknown").zh) == ("符合", "不符合", "待定")
    assert (term("decision", "pass").zh, term("decision", "fail").zh) == ("通过", "未通过")
    assert term("severity", "should").zh == "原则上"
