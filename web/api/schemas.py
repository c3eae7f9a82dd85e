"""Input and output schemas of the API (each operation has its own; shared parts here)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

MAX_PAGE_SIZE = 200
PERIOD_PATTERN = r"^\d{4}(Q[1-4])?$"
REGION_PATTERN = r"^\d{6}$"


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
    programme: str | None = Field(None, max_length=64, description="只列参加此项目的小镇 / only towns enrolled in this programme")


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
    programme: str | None = Field(None, max_length=64)
    town: str | None = Field(None, max_length=32, description="小镇编号 / town code")
    tier: str | None = Field(None, max_length=32)
    open: bool | None = Field(None, description="true 只列仍在项目中的 / true: only those still in the programme")


class EnrolmentPage(PageInfo):
    items: list[EnrolmentOut]
