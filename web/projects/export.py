"""The funding ledger and statement as XLSX (headers Chinese / English), through the core's safe writer."""

from __future__ import annotations

from xiaozhen.funding import FundingStatement
from xiaozhen.tabular import Column, Table, xlsx_bytes

from .models import Contract, FundingEntry

MONEY = "#,##0.00"
LEDGER_COLUMNS = [Column("日期 / Date"), Column("类型 / Kind"), Column("资金来源 / Source"),
                  Column("金额(万元) / Amount (10k yuan)", number_format=MONEY), Column("文件或凭证号 / Document"),
                  Column("摘要 / Note"), Column("登记人 / Recorded by"), Column("行号 / Line"),
                  Column("冲销的行 / Reverses line")]
SOURCE_LABEL = {s.value: str(s.label) for s in FundingEntry.Source}


def ledger_xlsx(contract: Contract, statement: FundingStatement) -> bytes:
    local, total, m = statement.local, statement.total, statement.matching
    sums = [[SOURCE_LABEL[s.source], float(s.committed), float(s.allocated), float(s.spent), float(s.unspent)]
            for s in statement.sources]
    sums.append(["地方配套合计 / Local matching", float(local.committed), float(local.allocated), float(local.spent),
                 float(local.unspent)])
    sums.append(["合计 / Total", float(total.committed), float(total.allocated), float(total.spent),
                 float(total.unspent)])
    sums += [
        [],
        ["配套比例(到位) / Matching ratio (allocated)", float(shown) if (shown := m.ratio_shown) is not None else None],
        ["要求比例 / Required ratio", float(m.required_ratio)],
        ["差额(万元) / Shortfall (10k yuan)", float(m.shortfall)],
        ["低于要求 / Below the required ratio", "是 yes" if m.below else "否 no"],
        ["依据 / Clause", f"{m.clause}; 合同 / contract {contract.number}"],
    ]
    summary = Table(
        "statement",
        [Column("资金来源 / Source"), *(Column(label, number_format=MONEY) for label in
                                       ("承诺 / Committed", "到位 / Allocated", "支出 / Spent", "结余 / Unspent"))],
        sums,
        preamble=[["合同编号 / Contract", contract.number],
                  ["小镇 / Town", f"{contract.town.name_zh} ({contract.town.code})"],
                  ["实施期 / Term", f"{contract.term_start.isoformat()} – {contract.term_end.isoformat()}"], []],
    )
    ledger = Table("ledger", LEDGER_COLUMNS, [
        [e.on, str(FundingEntry.Kind(e.kind).label), SOURCE_LABEL[e.source], float(e.amount), e.document_ref,
         e.note, e.recorded_by.get_username(), e.pk, e.reverses_id]
        for e in contract.funding_entries.all()
    ])
    return xlsx_bytes([summary, ledger])
