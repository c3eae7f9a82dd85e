"""docs/inventory.md is generated from the code and fails here when it is stale."""

from __future__ import annotations

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
