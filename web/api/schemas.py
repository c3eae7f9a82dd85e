"""Input and output schemas of the API (each operation has its own; shared parts here)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, P, PathEx, Schema

MAX_PAGE_SIZE = 200
PERIOD_PATTERN = r"^\d{4}(Q[1-4])?$"
REGION_PATTERN = r"^\d{6}$"
#: Town codes, programme and tier ids: ASCII letters, digits, "-" and "_".
SLUG_PATTERN = r"^[A-Za-z0-9_-]+$"
KEY_PATTERN = r"^[A-Za-z0-9._:~-]+$"


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="第几页(从 1 起) / page number, from 1")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数(≤{MAX_PAGE_SIZE}) / rows a page")


class PageInfo(Schema):
    page: int
    page_size: int
    count: int = Field(description="符合条件的总条数 / rows matching, over all pages")
    pages: int


# --- who am I -----------------------------------------------------------------------------

class MeOut(Schema):
    username: str
    full_name: str
    role: str
    region_code: str | None
    town_code: str | None
    token_name: str
    token_expires_at: dt.datetime | None


# --- programmes ---------------------------------------------------------------------------

class VersionOut(Schema):
    number: int
    content_hash: str = Field(description="政策文件内容的 SHA-256 / SHA-256 of the programme file's content")
    effective_from: dt.date


class ProgrammeOut(Schema):
    id: str = Field(description="政策编号 / the programme file's identity.id")
    name_zh: str
    name_en: str
    short_name_zh: str
    short_name_en: str
    programme_type: str
    region_code: str = Field(description="适用地区(空为全国) / region covered, blank for nationwide")
    current_version: VersionOut


class ProgrammePage(PageInfo):
    items: list[ProgrammeOut]


# --- towns --------------------------------------------------------------------------------

class RegionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    level: str


class TownOut(Schema):
    code: str
    name_zh: str
    name_en: str
    region: RegionOut
    city_code: str | None
    province_code: str
    category: str
    sub_sector: str


class TownQuery(PageQuery):
    region: str | None = Field(None, pattern=REGION_PATTERN, description="行政区划代码，含下级 / region code, with what is inside it")
    programme: str | None = Field(None, max_length=64, pattern=SLUG_PATTERN,
                                  description="只列参加此项目的小镇 / only towns enrolled in this programme")


class TownPage(PageInfo):
    items: list[TownOut]


# --- enrolments and tiers -----------------------------------------------------------------

class TierChangeOut(Schema):
    from_tier: str
    to_tier: str
    effective_on: dt.date
    transition_id: str
    clause: str
    reason: str
    decision_ref: str
    programme_version_hash: str


class EnrolmentOut(Schema):
    id: int
    town_code: str
    town_name_zh: str
    programme: str
    category: str
    sub_sector: str
    initial_tier: str
    started_on: dt.date
    tier: str
    tier_label_zh: str
    tier_label_en: str
    tier_since: dt.date
    ended_on: dt.date | None
    programme_version_hash: str = Field(description="入选时的政策版本 / the programme version in force when enrolled")
    tier_history: list[TierChangeOut]


class EnrolmentQuery(PageQuery):
    programme: str | None = Field(None, max_length=64, pattern=SLUG_PATTERN)
    town: str | None = Field(None, max_length=32, pattern=SLUG_PATTERN, description="小镇编号 / town code")
    tier: str | None = Field(None, max_length=32, pattern=SLUG_PATTERN)
    open: bool | None = Field(None, description="true 只列仍在项目中的 / true: only those still in the programme")


class EnrolmentPage(PageInfo):
    items: list[EnrolmentOut]


# --- quarterly reports ----------------------------------------------------------------------

ReportValue = float | bool | str | None


class LedgerRowIn(Schema):
    project_name: str = Field(max_length=200)
    project_type: str = Field(max_length=24, description="项目类型 / project type id (docs/reports.md)")
    planned_investment: float | None = None
    completed_investment: float | None = None


class ReportPushIn(Schema):
    town: str = Field(max_length=32, pattern=SLUG_PATTERN, description="小镇编号 / town code")
    programme: str = Field(max_length=64, pattern=SLUG_PATTERN, description="政策编号 / programme id")
    period: str = Field(pattern=PERIOD_PATTERN, description="期间：2025Q3，或按年报送的 2025 / a quarter, or a year")
    values: dict[str, ReportValue] = Field(
        description="指标编号 → 数值(与 Excel 模板同样检查) / indicator id → value, checked as an Excel upload is")
    ledger: list[LedgerRowIn] = Field(default_factory=list, description=(
        "项目台账；patch 时按项目名称逐行更新，未提及的行保留 / project ledger rows; when patching, rows replace the "
        "rows of the same project name and the others stay"))
    mode: Literal["patch", "replace"] = Field(default="patch", description=(
        "patch(默认)：只改动所给的指标(null 清空该项)和台账行，其余保留；replace：以本次内容替换整份报告 / "
        "patch (default): change only the indicators given (null clears one) and the ledger rows given, keep the rest; "
        "replace: this body becomes the whole report"))
    idempotency_key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN, description=(
        "幂等键(字母、数字、._:~-)：同一小镇、期间、键只报送一次 / idempotency key (letters, digits, ._:~-): "
        "one submission per town, period and key"))


class LedgerRowOut(Schema):
    project_name: str
    project_type: str
    planned_investment: float | None
    completed_investment: float | None


class ReportOut(Schema):
    id: int
    town: str
    programme: str
    period: str
    status: str = Field(description="draft / submitted / late")
    submitted_at: dt.datetime | None
    revision: int | None = Field(description="最近一次修订号 / latest revision number")
    values: dict[str, ReportValue]
    ledger: list[LedgerRowOut]


class ReportQuery(PageQuery):
    programme: str | None = Field(None, max_length=64, pattern=SLUG_PATTERN)
    period: str | None = Field(None, pattern=PERIOD_PATTERN)
    town: str | None = Field(None, max_length=32, pattern=SLUG_PATTERN)


class ReportPage(PageInfo):
    items: list[ReportOut]


TownCode = PathEx[str, P(max_length=32, pattern=SLUG_PATTERN, description="小镇编号 / town code")]
ProgrammeId = PathEx[str, P(max_length=64, pattern=SLUG_PATTERN, description="政策编号 / programme id")]


# --- published lists ------------------------------------------------------------------------

class ListEntryOut(Schema):
    position: int
    town_code: str
    town_name_zh: str
    town_name_en: str
    county_zh: str
    county_en: str
    category: str
    category_zh: str
    category_en: str
    sub_sector: str
    removed: bool = Field(description="经异议移出 / removed after an upheld objection")
    removed_reason: str


class ListOut(Schema):
    id: int
    programme: str
    programme_version_hash: str
    tier: str
    tier_label_zh: str
    tier_label_en: str
    year: int
    title_zh: str
    title_en: str
    document_number: str
    status: str = Field(description="draft / notice / final / superseded / withdrawn")
    notice_opens_on: dt.date | None
    notice_closes_on: dt.date | None
    noticed_at: dt.datetime | None
    finalised_at: dt.datetime | None
    supersedes: int | None = Field(description="更正的名单 / the list this one corrects")
    entry_count: int


class ListDetailOut(ListOut):
    entries: list[ListEntryOut]


class ListQuery(PageQuery):
    programme: str | None = Field(None, max_length=64, pattern=SLUG_PATTERN)
    year: int | None = Field(None, ge=1900, le=2200)
    tier: str | None = Field(None, max_length=32, pattern=SLUG_PATTERN)
    status: str | None = Field(None, pattern=r"^(draft|notice|final|superseded|withdrawn)$")


class ListPage(PageInfo):
    items: list[ListOut]


# --- assessment results ---------------------------------------------------------------------

class OutcomeOut(Schema):
    criterion: str
    label_zh: str
    label_en: str
    clause: str | None
    severity: str | None
    outcome: str | None
    values: dict[str, Any]
    thresholds: dict[str, Any]


class AssessmentResultOut(Schema):
    town_code: str
    town_name_zh: str
    region_code: str
    year: int
    tier: str = Field(description="考核时层级 / tier assessed")
    next_tier: str = Field(description="决定层级 / tier decided")
    action: str
    transition_id: str
    clause: str
    annual_met: bool | None
    grade: str
    score: float | None
    star_rating: int | None
    risk_grade: str
    excellent: bool
    overridden: bool
    override_reason: str
    reasons: list[str]
    outcomes: list[OutcomeOut]
    effective_on: dt.date | None = Field(description="层级变更生效日期 / when the tier change took effect")
    document_number: str
    published_at: dt.datetime | None
    programme_version_hash: str


class AssessmentPage(PageInfo):
    items: list[AssessmentResultOut]


Year = PathEx[int, P(ge=1900, le=2200, description="考核年度 / year assessed")]
