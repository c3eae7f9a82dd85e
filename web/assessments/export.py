"""Published results as an XLSX workbook (one sheet, one row per town), through the core's safe writer."""

from __future__ import annotations

from xiaozhen.tabular import Table, xlsx_bytes

HEADER = [
    "小镇编号 / Town code", "名称 / Name", "区划代码 / Region", "考核时层级 / Tier", "年度达标 / Met",
    "连续未达标 / Missed streak", "等次 / Grade", "得分 / Score", "星级 / Stars", "风险等级 / Risk",
    "决定 / Action", "新层级 / Next tier", "条款 / Clause", "年度优秀 / Excellent", "已改定 / Overridden",
    "改定理由 / Override reason", "生效日期 / Effective", "理由 / Reasons",
]


def _yes(value) -> str:
    return {True: "是 yes", False: "否 no"}.get(value, "")


def results_xlsx_bytes(run, rows) -> bytes:
    lines = []
    for row in rows:
        p = row.proposal
        lines.append([
            p.town.code, p.town.name_zh, p.town.region.code, f"{row.tier.zh} {row.tier.en}" if hasattr(row.tier, "zh") else p.tier,
            _yes(p.annual_met), p.missed_streak, p.grade, p.score, p.star_rating, p.risk_grade,
            f"{row.action.zh} {row.action.en}",
            f"{row.next_tier.zh} {row.next_tier.en}" if hasattr(row.next_tier, "zh") else p.next_tier,
            p.clause, _yes(p.excellent), _yes(p.overridden), p.override_reason,
            p.tier_change.effective_on.isoformat() if p.tier_change else "", "\n".join(p.reasons),
        ])
    return xlsx_bytes([Table(f"{run.year} 考核结果 Results", HEADER, lines, preamble=[
        [f"{run.programme.name_zh} / {run.programme.name_en}"],
        [f"{run.year} 年度考核 annual assessment · {run.document_number} · v{run.programme_version.number}"],
    ])])
