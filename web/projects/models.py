"""The three-year demonstration project of an approved town (004 §三5–7).

* Contract — the three-party project contract (三方合同, 004 §三5) between the provincial S&T
  department, the town government and the city/county S&T department: each party's rights and
  duties, the term (the programme's ``project_years``), the funding commitment per source and the
  local matching ratio, the targets the town commits to. It is also the project: milestones,
  funding ledger, progress reports and the acceptance application hang off it.
* ContractSignature — one party's signature, by a user of that party's role and scope.
* ContractTarget — an indicator of the programme the town commits to, with its target value.
* FundingEntry — one ledger line: money allocated to the project or spent by it, per source.
* Milestone — planned work per project year, and when it was done.
* ProgressReport — the town's yearly progress report (004 §三6, managed by years).

Rows change only through projects/actions.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.bilingual import bi_lazy


class Contract(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", bi_lazy("起草(待签署)", "Draft (awaiting signatures)")  # parties sign one by one
        SIGNED = "signed", bi_lazy("三方已签署", "Signed by all three")  # the third signature landed
        IN_FORCE = "in_force", bi_lazy("生效(实施中)", "In force")  # the project runs
        COMPLETED = "completed", bi_lazy("已完成", "Completed")  # project accepted, contract closed
        TERMINATED = "terminated", bi_lazy("已终止", "Terminated")  # ended early (004 §三5 default rule)

    OPEN_STATES = (State.DRAFT, State.SIGNED, State.IN_FORCE)

    number = models.CharField(bi_lazy("合同编号", "Contract number"), max_length=64, unique=True)
    enrolment = models.ForeignKey("towns.Enrolment", on_delete=models.PROTECT, related_name="contracts")
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="contracts")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    programme_version = models.ForeignKey(
        "programmes.ProgrammeVersion", on_delete=models.PROTECT, related_name="+",
        help_text=bi_lazy("起草时适用的政策版本", "the programme version in force when drafted"),
    )
    local_party_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+",
        verbose_name=bi_lazy("市(县)科技主管部门所在地", "City/county party"),
        help_text=bi_lazy("签约的市或县(区)", "the city or county whose S&T department signs"),
    )
    term_start = models.DateField(bi_lazy("实施期起始日", "Term starts"))
    term_years = models.PositiveSmallIntegerField(bi_lazy("实施期(年)", "Term (years)"))
    provincial_amount = models.DecimalField(bi_lazy("省拨经费(万元)", "Provincial funds (10k yuan)"),
                                            max_digits=12, decimal_places=2)
    city_amount = models.DecimalField(bi_lazy("市配套(万元)", "City matching (10k yuan)"), max_digits=12,
                                      decimal_places=2, default=Decimal("0"))
    county_amount = models.DecimalField(bi_lazy("县(区)配套(万元)", "County matching (10k yuan)"), max_digits=12,
                                        decimal_places=2, default=Decimal("0"))
    town_amount = models.DecimalField(bi_lazy("镇自筹(万元)", "Town self-raised (10k yuan)"), max_digits=12,
                                      decimal_places=2, default=Decimal("0"))
    matching_ratio = models.DecimalField(
        bi_lazy("地方配套比例下限(倍)", "Minimum local matching ratio"), max_digits=6, decimal_places=2,
        help_text=bi_lazy("地方配套经费与省拨经费之比", "local matching funds per yuan of provincial funds"),
    )
    province_duties = models.TextField(bi_lazy("省科技厅的权利义务", "Province: rights and duties"))
    local_duties = models.TextField(bi_lazy("市(县)科技主管部门的权利义务", "City/county: rights and duties"))
    town_duties = models.TextField(bi_lazy("镇政府的权利义务", "Town: rights and duties"))
    state = models.CharField(bi_lazy("状态", "State"), max_length=16, choices=State.choices, default=State.DRAFT,
                             db_index=True)
    in_force_on = models.DateField(bi_lazy("生效日期", "In force from"), null=True, blank=True)
    ended_on = models.DateField(bi_lazy("结束日期", "Ended on"), null=True, blank=True)
    end_reason = models.TextField(bi_lazy("结束理由", "Reason for ending"), blank=True)
    acceptance_applied_on = models.DateField(bi_lazy("验收申请日期", "Acceptance applied on"), null=True, blank=True)
    acceptance_applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="+")
    acceptance_summary = models.TextField(bi_lazy("验收申请说明", "Acceptance application summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-term_start", "number"]
        verbose_name = bi_lazy("三方项目合同", "Three-party project contract")
        verbose_name_plural = bi_lazy("三方项目合同", "Three-party project contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(state__in=["draft", "signed", "in_force"]),
                name="contract_one_open_per_enrolment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.town}"

    @property
    def audit_region(self):
        return self.town.region

    @property
    def term_end(self) -> dt.date:
        start = self.term_start
        try:
            after = start.replace(year=start.year + self.term_years)
        except ValueError:  # 29 February
            after = start.replace(year=start.year + self.term_years, day=28)
        return after - dt.timedelta(days=1)

    @property
    def term_years_list(self) -> list[int]:
        return list(range(self.term_start.year, self.term_end.year + 1))

    def committed(self) -> dict[str, Decimal]:
        return {"provincial": self.provincial_amount, "city": self.city_amount, "county": self.county_amount,
                "town": self.town_amount}

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Party(models.TextChoices):
    PROVINCE = "province", bi_lazy("省科技厅", "Provincial S&T department")
    LOCAL = "local", bi_lazy("市(县)科技主管部门", "City/county S&T department")
    TOWN = "town", bi_lazy("镇政府", "Town government")


class ContractSignature(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(bi_lazy("签约方", "Party"), max_length=16, choices=Party.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_for = models.CharField(bi_lazy("代表单位", "On behalf of"), max_length=200, blank=True)
    signed_on = models.DateField(bi_lazy("签署日期", "Signed on"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "recorded_at"]
        verbose_name = bi_lazy("合同签署", "Contract signature")
        verbose_name_plural = bi_lazy("合同签署", "Contract signatures")
        constraints = [models.UniqueConstraint(fields=["contract", "party"], name="signature_one_per_party")]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.party} {self.signed_on}"

    @property
    def audit_region(self):
        return self.contract.town.region


class ContractTarget(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="targets")
    indicator_id = models.CharField(bi_lazy("指标", "Indicator"), max_length=64)
    target = models.FloatField(bi_lazy("目标值", "Target"), help_text=bi_lazy("是/否为 1/0", "yes/no as 1/0"))

    class Meta:
        ordering = ["contract", "id"]
        verbose_name = bi_lazy("合同目标", "Contract target")
        verbose_name_plural = bi_lazy("合同目标", "Contract targets")
        constraints = [models.UniqueConstraint(fields=["contract", "indicator_id"], name="target_one_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator_id} ≥ {self.target}"


class FundingEntry(models.Model):
    class Kind(models.TextChoices):
        ALLOCATION = "allocation", bi_lazy("拨付到位", "Allocated")  # money arriving in the project
        DISBURSEMENT = "disbursement", bi_lazy("支出", "Spent")  # money the project spends

    class Source(models.TextChoices):
        PROVINCIAL = "provincial", bi_lazy("省拨经费", "Provincial")
        CITY = "city", bi_lazy("市配套", "City matching")
        COUNTY = "county", bi_lazy("县(区)配套", "County matching")
        TOWN = "town", bi_lazy("镇自筹", "Town self-raised")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="funding_entries")
    kind = models.CharField(bi_lazy("类型", "Kind"), max_length=16, choices=Kind.choices)
    source = models.CharField(bi_lazy("资金来源", "Source"), max_length=16, choices=Source.choices)
    amount = models.DecimalField(bi_lazy("金额(万元)", "Amount (10k yuan)"), max_digits=12, decimal_places=2)
    on = models.DateField(bi_lazy("日期", "Date"))
    document_ref = models.CharField(bi_lazy("文件或凭证号", "Document reference"), max_length=128)
    note = models.CharField(bi_lazy("摘要", "Note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A mistaken line is never edited or deleted: a reversal line (红字冲销) points at it, with the
    # opposite amount, and both then drop out of every total (actions.reverse_funding).
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal",
                                    verbose_name=bi_lazy("冲销的台账行", "Reverses line"))

    class Meta:
        ordering = ["contract", "on", "id"]
        verbose_name = bi_lazy("经费台账", "Funding ledger line")
        verbose_name_plural = bi_lazy("经费台账", "Funding ledger")

    def __str__(self) -> str:
        return f"{self.contract.number} {self.on} {self.source} {self.kind} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def audit_region(self):
        return self.contract.town.region


class Milestone(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="milestones")
    year_no = models.PositiveSmallIntegerField(bi_lazy("项目年度", "Project year"))
    title = models.CharField(bi_lazy("里程碑", "Milestone"), max_length=200)
    planned_by = models.DateField(bi_lazy("计划完成日期", "Planned by"))
    done_on = models.DateField(bi_lazy("完成日期", "Done on"), null=True, blank=True)
    done_note = models.CharField(bi_lazy("完成情况", "What was done"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contract", "year_no", "planned_by", "id"]
        verbose_name = bi_lazy("里程碑", "Milestone")
        verbose_name_plural = bi_lazy("里程碑", "Milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region(self):
        return self.contract.town.region

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class ProgressReport(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="progress_reports")
    year = models.PositiveSmallIntegerField(bi_lazy("年度", "Year"))
    summary = models.TextField(bi_lazy("年度进展", "Progress this year"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "year"]
        verbose_name = bi_lazy("年度进展报告", "Yearly progress report")
        verbose_name_plural = bi_lazy("年度进展报告", "Yearly progress reports")
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="progress_report_one_per_year")]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.year}"

    @property
    def audit_region(self):
        return self.contract.town.region
