"""Every verb an action writes to the audit trail has a label a person reads (audit/verbs.py)."""

from __future__ import annotations

import re
from pathlib import Path

from audit.verbs import VERBS, verb_label

WEB = Path(__file__).resolve().parents[2] / "web"


def recorded_verbs() -> set[str]:
    verbs: set[str] = set()
    for path in WEB.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        verbs.update(re.findall(r'verb="([a-z_]+)"', text))
        verbs.update(f"{status}_signal" for status in re.findall(r'verb=f"\{status\}_signal" if status == "(\w+)"', text))
    return verbs


def test_every_recorded_audit_verb_has_a_chinese_and_english_label():
    verbs = recorded_verbs()
    assert len(verbs) > 50  # the scan finds the actions' verbs
    assert sorted(verbs - set(VERBS)) == []
    assert str(verb_label("upload_boundary")) == "上传边界 / upload a boundary"
