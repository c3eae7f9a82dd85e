"""What a what-if shows (page and XLSX alike): the towns whose decision a reform changes, labelled.

The comparison itself is the core's (``xiaozhen.engine.compare_assessments``), stored as it was
computed in the ``run_whatif`` audit entry; this module only puts labels, units and formatted
numbers on it (``xiaozhen.present``), so the page and the workbook read the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portal.bilingual import Bi, bi_text
from xiaozhen.glossary import Glossary, term
from xiaozhen.policy import Policy
from xiaozhen.present import label_of, show_value
from xiaozhen.tabular import Table, xlsx_bytes

from .selectors import action_label

# One vocabulary (xiaozhen.glossary): a rule's outcome is 符合/不符合/待定, a should line 原则上.
OUTCOMES = {k: (term("outcome", k).zh, term("outcome", k).en) for k in ("pass", "fail", "unknown")}
SEVERITIES = {k: (term("severity", k).zh, term("severity", k).en) for k in ("must", "should")}


@dataclass
class Number:
    label: Bi
    before: str
    after: str | None = None  # a threshold under the reform (None for a town's own figure)

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before


@dataclass
class CriterionLine:
    label: Bi
    clause: str
    before: Bi
    after: Bi
    values: list[Number]
    thresholds: list[Number]


@dataclass
class ChangeRow:
    town_code: str
    town_name: str
    before: Bi
    after: Bi
    clause_before: str
    clause_after: str
    criteria: list[CriterionLine] = field(default_factory=list)


def _decision(policy: Policy, action: str | None, tier: str | None, excellent: bool | None) -> Bi:
    tiers = {t.id: t.label for t in policy.lifecycle.tiers}
    act = action_label(action or "stay")
    label = tiers.get(tier or "")
    zh, en = f"{act.zh} → {label.zh if label else tier}", f"{act.en} → {label.en.lower() if label else tier}"
    if excellent:
        zh, en = zh + " ★ 年度优秀", en + " ★ excellent"
    return Bi(zh, en)


def _state(outcome: str, severity: str) -> Bi:
    o, s = OUTCOMES.get(outcome, (outcome, outcome)), SEVERITIES.get(severity, (severity, severity))
    return Bi(f"{o[0]}（{s[0]}）", f"{o[1]} ({s[1]})")


def parameter_rows(policy: Policy) -> list[dict[str, Any]]:
    """The parameters a reform may change, with their dated values as a person reads them."""
    rows = []
    words = Glossary(policy)  # a default's source may name other parameters by id
    for p in policy.parameters:
        values = []
        for v in p.values:
            shown = (bi_text(*SEVERITIES[v.value]) if isinstance(v.value, str) and v.value in SEVERITIES
                     else show_value(policy, p.id, v.value))
            values.append(f"{v.from_.isoformat()}: {shown}")
        rows.append({"id": p.id, "label": p.label, "clause": p.clause, "default_source": words.readable(p.default_source) if p.default_source else None,
                     "values": values})
    return rows


def change_rows(policy: Policy, changes: list[dict[str, Any]], year: int) -> list[ChangeRow]:
    """The stored comparison as rows a person reads."""
    at = dt.date(year, 12, 31)

    def number(name: str, value: Any, after: Any = None, threshold: bool = False) -> Number:
        zh, en = label_of(policy, name, at)
        return Number(Bi(zh, en), show_value(policy, name, value),
                      show_value(policy, name, after) if threshold else None)

    rows = []
    for c in changes:
        lines = [
            CriterionLine(
                Bi(cc["label_zh"], cc["label_en"]), cc["clause"],
                _state(cc["outcome_before"], cc["severity_before"]), _state(cc["outcome_after"], cc["severity_after"]),
                [number(k, v) for k, v in cc["values"].items()],
                [number(k, v, cc["thresholds_after"].get(k), threshold=True) for k, v in cc["thresholds_before"].items()],
            )
            for cc in c["criteria"]
        ]
        rows.append(ChangeRow(
            c["town_id"], c["town_name"] or "",
            _decision(policy, c["action_before"], c["next_tier_before"], c["excellent_before"]),
            _decision(policy, c["action_after"], c["next_tier_after"], c["excellent_after"]),
            c["clause_before"] or "", c["clause_after"] or "", lines,
        ))
    return rows


HEADER = [
    "小镇编号 / Town code", "名称 / Name", "现行决定 / Decision now", "改革后决定 / Decision under the reform",
    "条款(现行→改革后) / Clause (now → reform)", "变化的准则 / Criterion that changed", "准则条款 / Criterion clause",
    "现行结果 / Outcome now", "改革后结果 / Outcome under the reform", "数值 / Figures",
    "标准(现行→改革后) / Thresholds (now → reform)",
]


def _bi(text: Bi) -> str:
    return f"{text.zh} / {text.en}"


def xlsx_rows(rows: list[ChangeRow]) -> list[list[str]]:
    """One line per changed criterion of each town (one line for a town with none, e.g. excellence)."""
    out = []
    for r in rows:
        head = [r.town_code, r.town_name, _bi(r.before), _bi(r.after),
                f"{r.clause_before or '—'} → {r.clause_after or '—'}"]
        if not r.criteria:
            out.append([*head, "", "", "", "", "", ""])
        for c in r.criteria:
            out.append([
                *head, _bi(c.label), c.clause, _bi(c.before), _bi(c.after),
                "\n".join(f"{_bi(n.label)}: {n.before}" for n in c.values),
                "\n".join(f"{_bi(n.label)}: {n.before} → {n.after}" for n in c.thresholds),
            ])
    return out


def whatif_xlsx_bytes(run, entry, rows: list[ChangeRow]) -> bytes:
    name = entry.data.get("reform_name") or {}
    return xlsx_bytes([Table("改革假设 What-if", HEADER, xlsx_rows(rows), preamble=[
        [f"{run.programme.name_zh} / {run.programme.name_en}"],
        [f"{run.year} 年度考核改革假设测算 what-if on the {run.year} assessment · v{entry.data.get('programme_version')}"],
        ["改革方案 / Reform", name.get("zh", ""), name.get("en", "")],
        ["测算原因 / Why", entry.reason],
        ["测算人 / By", entry.actor_username, f"{entry.at:%Y-%m-%d %H:%M}"],
        ["仅供测算，不发布，不改变任何小镇 / a what-if only: never published, no town changed"],
    ])])
