"""docs/inventory.md is generated from the code and fails here when it is stale."""

from __future__ import annotations

import ast
import pathlib

import portal.errors
from config.inventory import OUTPUT, render
from portal.errors import NotAllowed
from portal.rules import Rule, rule
from reviews import permissions as review_perms


def test_the_inventory_of_actions_and_rules_matches_the_code():
    assert OUTPUT.read_text(encoding="utf-8") == render(), (
        "docs/inventory.md is stale: run `make inventory` (PYTHONPATH=web:src python -m config.inventory)"
    )


def test_the_inventory_names_each_rule_with_its_one_message_and_the_actions_it_guards():
    text = render()
    assert "| `can_manage_panel` | 无权调整此评审组 / you may not change this panel |" in text
    row = next(line for line in text.splitlines() if line.startswith("| `can_manage_panel` |"))
    assert "`add_panel_member`" in row and "`replace_panel_member`" in row


def test_a_rule_answers_yes_or_no_and_refuses_with_its_own_words():
    @rule("只有甲可以", "only A may")
    def is_a(user: str) -> bool:
        return user == "A"

    assert isinstance(is_a, Rule) and is_a("A") is True and is_a("B") is False
    is_a.require("A")
    try:
        is_a.require("B")
    except NotAllowed as refusal:
        assert (refusal.zh, refusal.en) == ("只有甲可以", "only A may")
    else:
        raise AssertionError("a refused rule must raise NotAllowed")
    assert review_perms.can_manage_panel.__name__ == "can_manage_panel"


WEB = pathlib.Path(__file__).resolve().parents[2] / "web"


def _old_style_calls(source: str) -> list[int]:
    """Lines that call a bare ``require(...)`` or import a name ``require`` (the old
    ``require(predicate(...), zh, en)`` style, which restated a rule's message at each call)."""
    def old_style(node: ast.AST) -> bool:
        if isinstance(node, ast.Call):
            return isinstance(node.func, ast.Name) and node.func.id == "require"
        return isinstance(node, ast.ImportFrom) and any(alias.name == "require" for alias in node.names)

    return sorted(node.lineno for node in ast.walk(ast.parse(source)) if old_style(node))


def test_the_old_style_check_finds_a_bare_require_and_passes_a_rule():
    old = "from portal.errors import require\nrequire(can_x(user), '中', 'en')\n"
    new = "from . import permissions as perms\nperms.can_x.require(user, obj)\ncan_y.require(user)\n"
    assert _old_style_calls(old) == [1, 2]
    assert _old_style_calls(new) == []


def test_no_module_states_a_permission_message_of_its_own_every_check_is_a_rule():
    found = {
        f"{path.relative_to(WEB)}:{line}"
        for path in sorted(WEB.rglob("*.py"))
        for line in _old_style_calls(path.read_text(encoding="utf-8"))
    }
    assert not found, f"call <rule>.require(...) from the app's permissions.py instead: {sorted(found)}"
    assert not hasattr(portal.errors, "require")
