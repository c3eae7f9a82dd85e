"""The bulletin as an XLSX workbook (ranking, late, missing, cancellations)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Bulletin

_BOLD = Font(bold=True)


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    ws = book.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = _BOLD
    for row in rows:
        ws.append(row)
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = max(12, min(40, max(len(str(c.value or "")) for c in col) + 4))


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    c = bulletin.content
    book = Workbook()
    info = book.active
    info.title = "通报 Bulletin"
    info.append(["项目 Programme", c["programme"]])
    info.append(["报送期间 Period", c["period"]])
    info.append(["截止日期 Due on", c["due_on"]])
    info.append(["状态 Status", bulletin.get_status_display()])
    info.append(["排名依据 Measure", f'{c["measure"]["zh"]} / {c["measure"]["en"]}'])
    info.append(["条款 Clause", c["measure"]["clause"]])
    if c.get("scope"):
        info.append(["通报范围 Scope", f'{c["scope"]["zh"]} / {c["scope"]["en"]}'])
    if bulletin.note:
        info.append(["说明 Note", bulletin.note])
    for cell in info["A"]:
        cell.font = _BOLD
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 60
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
    _sheet(book, "排名 Ranking", header, rows)
    _sheet(book, "逾期 Late", ["小镇编号 Town id", "小镇 Town", "报送时间 Submitted at", "逾期天数 Days late"],
           [[r["town"], r["name"], r["submitted_at"], r["days_late"]] for r in c["late"]])
    _sheet(book, "未报 Missing", ["小镇编号 Town id", "小镇 Town", "有草稿 Draft only"],
           [[r["town"], r["name"], "是" if r["draft"] else ""] for r in c["missing"]])
    _sheet(book, "取消资格 Cancelled", ["小镇编号 Town id", "小镇 Town", "生效 Effective", "条款 Clause",
                                        "决定文号 Decision", "理由 Reason"],
           [[r["town"], r["name"], r["effective_on"], r["clause"], r["decision_ref"], r["reason"]]
            for r in c["cancellations"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
