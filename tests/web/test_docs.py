"""The docs name only code that exists: every `app.module.name` in README.md and docs/ resolves."""

from __future__ import annotations

import importlib
import pathlib
import re

from django.apps import apps

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PACKAGES = {p.name for p in (ROOT / "web").iterdir() if (p / "__init__.py").exists()} | {"xiaozhen"}


def _resolves(ref: str) -> bool:
    parts = ref.split(".")
    if len(parts) == 2 and parts[1][:1].isupper():  # a model by app label, as Django names it
        try:
            apps.get_model(ref)
            return True
        except (LookupError, ValueError):
            pass
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def _references(text: str) -> set[str]:
    return {r for r in re.findall(r"`([a-z_]+(?:\.[A-Za-z_]+)+)`", text) if r.split(".")[0] in PACKAGES}


def test_every_dotted_name_in_the_docs_exists_in_the_code():
    missing = [f"{doc.relative_to(ROOT)}: {ref}" for doc in DOCS for ref in sorted(_references(doc.read_text()))
               if not _resolves(ref)]
    assert missing == []


def test_every_path_in_the_readme_table_exists():
    table = ROOT.joinpath("README.md").read_text().split("## Where things are", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"`((?:src|web|docs|tests|policies|examples|benchmarks)/[^`<>]*)`", table)
    assert paths, "the README's table names no paths"
    assert [p for p in paths if not (ROOT / p).exists()] == []


def test_the_checker_notices_a_name_that_does_not_exist():
    assert _resolves("portal.rules.rule") and _resolves("towns.IndicatorValue")
    assert not _resolves("portal.forms_util.PlainSelect")
