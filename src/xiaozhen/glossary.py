"""One vocabulary: every id a person may meet, with its Chinese and English label.

Two kinds of ids reach a page, a document or the command line:

* **Fixed terms** of the platform, the same in every programme: a criterion's outcome (``pass``), its
  severity (``should``), a stage, a decision's action (``demote``), a role (``city_reviewer``), a basis
  (``plan``), a review step's kind (``expert_review``). :data:`TERMS` holds them; :func:`term` reads one.
* **A programme's own ids**, declared with their labels in its file: indicators, parameters, criteria,
  tiers, categories, transitions, review steps, materials, targets — and the names the engine derives
  from them (``cum_investment`` 累计 investment, ``first_investment``, ``sum_first_3__investment``).
  :class:`Glossary` reads them from a :class:`~xiaozhen.policy.Policy`.

The words chosen for one meaning (docs/web.md "One vocabulary"):

* the engine's check of a rule: 符合 pass / 不符合 fail / 待定 unknown;
* a person's decision at a review or acceptance step: 通过 pass / 未通过 fail;
* a criterion that binds in principle only (the seeds' 原则上): 原则上 should — 建议 is kept for what the
  system proposes (考核建议), never for a rule's strength.

An id with no label comes back as itself, so the identifier scan of every page
(tests/web/test_readable_pages.py) finds it instead of a made-up label hiding it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .policy import Policy, Text
from .present import label_of, show_value

__all__ = ["TERMS", "Glossaries", "Glossary", "term", "term_text"]


def _t(zh: str, en: str) -> Text:
    return Text(zh=zh, en=en)


TERMS: dict[str, dict[str, Text]] = {
    "outcome": {"pass": _t("符合", "pass"), "fail": _t("不符合", "fail"), "unknown": _t("待定", "unknown")},
    "decision": {"pass": _t("通过", "pass"), "fail": _t("未通过", "fail")},
    "severity": {"must": _t("必须", "must"), "should": _t("原则上", "should")},
    "stage": {
        "application": _t("申报", "application"),
        "annual": _t("年度考核", "annual assessment"),
        "acceptance": _t("验收", "acceptance"),
        "named": _t("命名后", "after naming"),
    },
    "action": {
        "stay": _t("保持", "stay"),
        "demote": _t("降格", "demote"),
        "exit": _t("退出", "exit"),
        "promote": _t("升格", "promote"),
        "extend": _t("延期", "extend"),
        "terminate": _t("终止创建", "terminate"),
        "name": _t("命名", "name"),
        "star_rate": _t("星级评定", "star rating"),
        "eliminate": _t("淘汰", "eliminate"),
        "cancel": _t("取消资格", "cancel"),
        "recommend": _t("推荐(不改层级)", "recommend (no tier change)"),
    },
    "role": {
        "provincial_officer": _t("省级主管部门", "Provincial officer"),
        "city_reviewer": _t("设区市审核员", "City reviewer"),
        "county_office": _t("县(区)级办公室", "County office"),
        "town_body": _t("小镇建设主体", "Town body"),
        "expert": _t("评审专家", "Expert"),
        "auditor": _t("审计员(只读)", "Auditor (read-only)"),
    },
    "basis": {"plan": _t("计划数", "plan"), "actual": _t("实际数", "actual")},
    "review_action": {
        "check": _t("审核", "check"),
        "recommend": _t("推荐", "recommend"),
        "review": _t("审查", "review"),
        "expert_review": _t("专家评审", "expert review"),
        "approve": _t("审定", "approve"),
        "publish": _t("公布", "publish"),
    },
    #: Names every stage reads besides a programme's own (xiaozhen.policy's CONTEXT_NAMES, HISTORY_NAMES).
    "context": {
        "category": _t("类别", "category"),
        "sub_sector": _t("细分产业", "sub-sector"),
        "region_code": _t("行政区划代码", "region code"),
        "tier": _t("层级", "tier"),
        "period_year": _t("年份", "year"),
        "years_elapsed": _t("已满年数", "years elapsed"),
        "towns_in_sub_sector": _t("同一细分产业的小镇数", "towns in the sub-sector"),
        "extension_running": _t("延期中", "extension running"),
        "annual_met": _t("年度达标", "annual target met"),
        "missed_streak": _t("连续未达标年数", "years missed in a row"),
        "years_in_tier": _t("本层级年数", "years in the tier"),
        "years_in_programme": _t("入选年数", "years in the programme"),
        "excellent": _t("年度优秀", "excellent"),
        "town_name": _t("名称", "name"),
    },
}


def term(kind: str, ident: str) -> Text:
    """The label of a fixed term (``term("outcome", "fail")`` → 不符合 / fail); the id itself if unknown."""
    return TERMS.get(kind, {}).get(ident) or Text(zh=ident, en=ident)


def term_text(kind: str, ident: str) -> str:
    """The label as one line, Chinese then English: ``不符合 fail``."""
    label = term(kind, ident)
    return label.zh if label.zh == label.en else f"{label.zh} {label.en}"


_WINDOW = re.compile(r"^sum_(first|last)_(\w+?)__(\w+)$")
_ID_IN_TEXT = re.compile(r"(?<![\w`])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w`])")


class Glossary:
    """A programme's ids with their labels, and its values as people read them (units, percentages)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        labels: dict[str, Text] = {}
        for group in (policy.categories, policy.lifecycle.tiers, policy.lifecycle.transitions, policy.materials,
                      policy.review_chain, policy.targets, policy.rubric, policy.criteria, policy.parameters,
                      policy.indicators):
            for item in group:
                labels[item.id] = item.label  # indicators last: an indicator's name wins over a same-named id
        self._labels = labels
        self._indicators = {i.id for i in policy.indicators}

    def label(self, name: str) -> Text:
        """The label of one of the programme's ids or a name the engine derives from them."""
        return self._own(name) or term("context", name)

    def knows(self, name: str) -> bool:
        return self._own(name) is not None

    def _own(self, name: str) -> Text | None:
        if name in self._labels:
            return self._labels[name]
        window = _WINDOW.match(name)
        if window and self._own(window.group(3)) is not None:
            # One home for a window's label: xiaozhen.present.label_of reads the window's length from its parameter.
            zh, en = label_of(self.policy, name)
            return Text(zh=zh, en=en)
        for prefix, zh, en in (("cum_", "累计", "cumulative "), ("first_", "首年", "first-year ")):
            base = name.removeprefix(prefix)
            if base != name and base in self._indicators:
                inner = self._labels[base]
                return Text(zh=f"{zh}{inner.zh}", en=f"{en}{inner.en}")
        if name.endswith("_prev_year") and name.removesuffix("_prev_year") in self._labels:
            inner = self._labels[name.removesuffix("_prev_year")]
            return Text(zh=f"上年{inner.zh}", en=f"{inner.en}, previous year")
        return None

    def readable(self, text: str) -> str:
        """Free text (a default's source, a note) with each of the programme's ids it names replaced by its label:
        "see min_rd_intensity" → "see 园区R&D经费…(年度及格线) Zone R&D spending … (yearly pass line)"."""
        def label(match: re.Match[str]) -> str:
            name = match.group(0)
            if not self.knows(name):
                return name
            found = self.label(name)
            return f"{found.zh} {found.en}"
        return _ID_IN_TEXT.sub(label, text)

    def value(self, name: str, value: Any) -> str:
        """A value with its unit: 32 亿元, 72%, 是 yes, — 缺 missing; a tier or category id by its label."""
        if isinstance(value, str) and value in self._labels:
            label = self._labels[value]
            return f"{label.zh} {label.en}"
        return show_value(self.policy, name, value)

    def named_values(self, values: Mapping[str, Any]) -> list[tuple[Text, str]]:
        """(label, value as read) for each name → value a verdict stores."""
        return [(self.label(name), self.value(name, value)) for name, value in values.items()]


class Glossaries:
    """Several programmes' glossaries as one, for a page that mixes them: the first that knows a name wins."""

    def __init__(self, policies: Iterable[Policy]) -> None:
        self._all = [Glossary(p) for p in policies]

    def _of(self, name: str) -> Glossary | None:
        return next((g for g in self._all if g.knows(name)), None)

    def label(self, name: str) -> Text:
        found = self._of(name)
        return found.label(name) if found else term("context", name)

    def value(self, name: str, value: Any) -> str:
        found = self._of(value) if isinstance(value, str) else None  # a tier or category id: its programme
        found = found or self._of(name)
        if found is not None:
            return found.value(name, value)
        return show_value(self._all[0].policy, name, value) if self._all else str(value)
