"""The bulletin as an XLSX workbook (ranking, late, missing, cancellations), through the core's safe writer."""

from __future__ import annotations

from xiaozhen.tabular import Column, Table, xlsx_bytes

from .models import Bulletin


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    c = bulletin.content
    lines = [
        ["项目 Programme", c["programme"]],
        ["报送期间 Period", c["period"]],
        ["截止日期 Due on", c["due_on"]],
        ["状态 Status", bulletin.get_status_display()],
        ["排名依据 Measure", f'{c["measure"]["zh"]} / {c["measure"]["en"]}'],
        ["条款 Clause", c["measure"]["clause"]],
    ]
    if c.get("scope"):
        lines.append(["通报范围 Scope", f'{c["scope"]["zh"]} / {c["scope"]["en"]}'])
    if bulletin.note:
        lines.append(["说明 Note", bulletin.note])
    info = Table("通报 Bulletin", [Column("", width=22), Column("", width=60)], [], preamble=lines, header=False)
    investment = c["measure"]["id"] == "investment_progress"
    header = ["名次 Rank", "小镇编号 Town id", "小镇 Town", "得分 Score"]
    header += (["计划投资 Planned", "累计完成 Completed to date", "本期完成 Completed in period"] if investment
               else ["已填 Given", "应填 Expected"])
    header += ["逾期 Late"]
    rows = []
    for r in c["ranking"]:
        n = r["numbers"]
        numbers = ([n.get("planned"), n.get("completed_to_date"), n.get("completed_in_period")] if investment
                   else [n.get("given"), n.get("expected")])
        rows.append([r["rank"] or None, r["town"], r["name"], r["score"], *numbers, "是" if r["late"] else ""])
    return xlsx_bytes([
        info,
        Table("排名 Ranking", header, rows),
        Table("逾期 Late", ["小镇编号 Town id", "小镇 Town", "报送时间 Submitted at", "逾期天数 Days late"],
              [[r["town"], r["name"], r["submitted_at"], r["days_late"]] for r in c["late"]]),
        Table("未报 Missing", ["小镇编号 Town id", "小镇 Town", "有草稿 Draft only"],
              [[r["town"], r["name"], "是" if r["draft"] else ""] for r in c["missing"]]),
        Table("取消资格 Cancelled", ["小镇编号 Town id", "小镇 Town", "生效 Effective", "条款 Clause",
                                     "决定文号 Decision", "理由 Reason"],
              [[r["town"], r["name"], r["effective_on"], r["clause"], r["decision_ref"], r["reason"]]
               for r in c["cancellations"]]),
    ])
