"""The funding ledger and statement as XLSX (headers Chinese / English)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from xiaozhen.funding import FundingStatement

from .models import Contract, FundingEntry

LEDGER_COLUMNS = ["日期 / Date", "类型 / Kind", "资金来源 / Source", "金额(万元) / Amount (10k yuan)",
                  "文件或凭证号 / Document", "摘要 / Note", "登记人 / Recorded by", "行号 / Line",
                  "冲销的行 / Reverses line"]
SOURCE_LABEL = {s.value: str(s.label) for s in FundingEntry.Source}


def ledger_xlsx(contract: Contract, statement: FundingStatement) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "statement"
    summary.append(["合同编号 / Contract", contract.number])
    summary.append(["小镇 / Town", f"{contract.town.name_zh} ({contract.town.code})"])
    summary.append(["实施期 / Term", f"{contract.term_start.isoformat()} – {contract.term_end.isoformat()}"])
    summary.append([])
    summary.append(["资金来源 / Source", "承诺 / Committed", "到位 / Allocated", "支出 / Spent", "结余 / Unspent"])
    for s in statement.sources:
        summary.append([SOURCE_LABEL[s.source], float(s.committed), float(s.allocated), float(s.spent), float(s.unspent)])
    local, total = statement.local, statement.total
    summary.append(["地方配套合计 / Local matching", float(local.committed), float(local.allocated), float(local.spent),
                    float(local.unspent)])
    summary.append(["合计 / Total", float(total.committed), float(total.allocated), float(total.spent),
                    float(total.unspent)])
    summary.append([])
    m = statement.matching
    summary.append(["配套比例(到位) / Matching ratio (allocated)", float(m.ratio_shown) if m.ratio is not None else None])
    summary.append(["要求比例 / Required ratio", float(m.required_ratio)])
    summary.append(["差额(万元) / Shortfall (10k yuan)", float(m.shortfall)])
    summary.append(["低于要求 / Below the required ratio", "是 yes" if m.below else "否 no"])
    summary.append(["依据 / Clause", f"{m.clause}; 合同 / contract {contract.number}"])
    ledger = book.create_sheet("ledger")
    ledger.append(LEDGER_COLUMNS)
    for e in contract.funding_entries.all():
        ledger.append([e.on, str(FundingEntry.Kind(e.kind).label), SOURCE_LABEL[e.source], float(e.amount), e.document_ref,
                       e.note, e.recorded_by.get_username(), e.pk, e.reverses_id])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
