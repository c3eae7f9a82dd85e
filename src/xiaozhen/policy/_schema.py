"""The programme file schema: what a policy under ``policies/`` may say.

Every model forbids unknown keys so that a typo in a YAML file is an error,
not a silently ignored rule (the most common complaint of OpenFisca users).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Scalar = float | int | bool | str

STAGES = ("application", "annual", "acceptance", "named")
Stage = Literal["application", "annual", "acceptance", "named"]
Severity = Literal["must", "should"]
Action = Literal[
    "demote", "exit", "promote", "extend", "terminate", "name", "star_rate", "eliminate", "cancel", "recommend"
]
#: Actions that take a town down or out: never proposed on an incomplete year.
ADVERSE_ACTIONS = ("demote", "exit", "terminate", "eliminate")
_DEFAULT_SOURCE = "set when this is xiaozhen's reading, not the seed's words: where the default comes from"
IndicatorType = Literal["amount", "number", "count", "share", "boolean", "text", "year"]
Aggregate = Literal["sum", "last", "max", "mean"]
Role = Literal[
    "provincial_officer", "city_reviewer", "county_office", "town_body", "expert", "auditor"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(_Model):
    """A label in Chinese first, English beside it."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Identity(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Text
    short_name: Text
    issuer: Text
    document_number: str
    seed: str | None = Field(description="file name under shared/seeds/, or null with `source`")
    source: str | None = None
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    programme_type: Literal[
        "characteristic_town", "innovation_town", "specialised_town", "high_tech_zone"
    ]
    effective_from: dt.date
    effective_to: dt.date | None = None
    unit_kind: Text = Field(
        default=Text(zh="小镇", en="town"), description="what one enrolled unit is called"
    )


class Category(_Model):
    id: str
    label: Text
    sub_sectors: list[str] = []


class ParameterValue(_Model):
    """The value in force from a date, optionally different for some categories."""

    from_: dt.date = Field(alias="from")
    value: Scalar
    by_category: dict[str, Scalar] = {}


class Parameter(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    unit: str
    clause: str = Field(min_length=3)
    values: list[ParameterValue] = Field(min_length=1)
    description: Text | None = None
    default_source: str | None = Field(
        default=None,
        description="set when the seed is vague or silent: where this default comes from",
    )


class Indicator(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    unit: str
    type: IndicatorType = "amount"
    kind: Literal["reported", "derived"] = "reported"
    period: Literal["quarter", "year"] = "year"
    aggregate: Aggregate = "last"
    expr: str | None = None
    part_of: str | None = Field(default=None, description="this amount can never exceed that one")
    cumulative: bool = Field(default=False, description="a running total that never decreases")
    blank_is_zero: bool = Field(
        default=False, description="a blank cell means none (e.g. no residential projects), not unknown"
    )
    clause: str | None = None
    description: Text | None = None
    minimum: float | None = Field(default=None, description="the smallest plausible value (A-levels start at 1)")
    maximum: float | None = Field(default=None, description="the largest plausible value (A-levels end at 5)")
    positive: bool = Field(default=False, description="a reported value must be above 0 (an area)")
    plausibility_source: str | None = Field(
        default=None, description="where minimum/maximum/positive come from (a standard or xiaozhen's default)"
    )


class PartsOfWhole(_Model):
    """Several indicators that together are part of another (residential + commercial ≤ total investment).

    Checked on every row at import, like ``part_of`` for one indicator.
    """

    whole: str
    parts: list[str] = Field(min_length=2)
    clause: str = Field(min_length=3)


class Criterion(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    stage: Stage
    severity: Severity = "must"
    severity_parameter: str | None = Field(
        default=None,
        description="a parameter whose value ('must' or 'should') decides the severity from its date on: an "
        "office may make an in-principle (原则上) line binding",
    )
    clause: str = Field(min_length=3)
    expr: str
    description: Text | None = None
    default_source: str | None = Field(default=None, description=_DEFAULT_SOURCE)


class Tier(_Model):
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    label: Text
    stage: Stage | None = Field(default=None, description="the stage assessed each year in this tier")
    terminal: bool = False


class Transition(_Model):
    """A move between tiers. ``decided_by: engine`` moves are proposed by the annual assessment when
    ``when`` holds; ``decided_by: officer`` moves are made by an officer in the web with a recorded
    reason and decision reference. ``action: recommend`` changes no tier: it flags a town to be
    recommended to a higher authority (争创国家级, 推荐), which decides."""

    id: str
    action: Action
    from_: list[str] = Field(alias="from", min_length=1)
    to: str | None = None
    when: str | None = None
    decided_by: Literal["engine", "officer"] = "engine"
    clause: str = Field(min_length=3)
    label: Text
    default_source: str | None = Field(default=None, description=_DEFAULT_SOURCE)


class Excellence(_Model):
    """The annual excellent-town selection among towns that met the year's standard."""

    score: str
    top: int = Field(ge=1)
    clause: str
    label: Text
    default_source: str | None = Field(default=None, description=_DEFAULT_SOURCE)


class UniqueSubSector(_Model):
    """Each industry sub-sector may hold only one town on the programme's lists (003 §三(一)).

    Enforced when a town is enrolled and when a list is published (``xiaozhen.lists``).
    """

    clause: str = Field(min_length=3)
    label: Text = Text(zh="一个细分产业只培育创建一个小镇", en="One town per industry sub-sector")


class Lifecycle(_Model):
    tiers: list[Tier] = Field(min_length=1)
    entry_tiers: list[str] = Field(min_length=1)
    transitions: list[Transition] = []
    excellence: Excellence | None = None
    acceptance_after_years: int | None = None
    unique_sub_sector: UniqueSubSector | None = Field(
        default=None, description="set when a sub-sector may hold only one enrolled town"
    )


class Material(_Model):
    id: str
    label: Text
    required: bool = True
    clause: str


class ReviewStep(_Model):
    """One step of a review chain. ``stage`` says which chain it belongs to: the application
    (申报 → 名单) or the acceptance at the end of the period (验收 → 命名)."""

    id: str
    label: Text
    role: Role
    action: Literal["check", "recommend", "review", "expert_review", "approve", "publish"]
    clause: str
    stage: Literal["application", "acceptance"] = "application"
    confirms: list[str] = Field(
        default=[],
        description="yes/no indicators this step establishes (e.g. materials_complete after the city's "
        "check): the applicant does not answer them, the step's decision records them — yes when an "
        "application step passes; yes or no as an acceptance step passes or fails (expert_assessment_passed)",
    )
    department_opinions: bool = Field(
        default=False,
        description="a joint review (联审, e.g. 003 §四(二)): the step's role names the departments that must give "
        "an opinion, records each one's, and may decide the step only when every named department has given it",
    )


class RubricItem(_Model):
    id: str
    label: Text
    max_score: float = Field(gt=0)


class Reporting(_Model):
    frequency: Literal["quarter", "year"]
    clause: str
    deadline_days: int = Field(default=15, ge=1)
    bulletin_scope: Text | None = None


class Target(_Model):
    id: str
    label: Text
    unit: str
    expr: str = Field(description="an aggregate over all units' rows of one year")
    target: float
    comparison: Literal[">=", ">", "<=", "<"] = ">="
    year: int
    clause: str


DocumentKind = Literal["bulletin", "assessment_results", "list_notice", "final_list", "naming", "town_profile"]
#: Who may read each kind of document when a programme file says nothing (xiaozhen defaults, docs/documents.md):
#: lists on notice, final lists and naming decisions are public by nature (公示 / 公布); bulletins and
#: assessment results circulate within government unless the programme says otherwise.
DEFAULT_AUDIENCE: dict[str, str] = {
    "bulletin": "internal", "assessment_results": "internal", "list_notice": "public", "final_list": "public",
    "naming": "public", "town_profile": "public",
}


class DocumentAudience(_Model):
    """Whether a kind of document is public (no sign-in) or internal (within the programme's scope)."""

    kind: DocumentKind
    audience: Literal["internal", "public"]
    clause: str | None = Field(default=None, description="the seed's words, when the seed decides it")
    default_source: str | None = Field(default=None, description="where the reading comes from, when no seed says")

    @model_validator(mode="after")
    def _cited(self) -> DocumentAudience:
        if not self.clause and not self.default_source:
            raise ValueError("给出条款(clause)或默认依据(default_source) / give a clause or a default_source")
        return self


class Policy(_Model):
    schema_version: Literal[1]
    identity: Identity
    categories: list[Category] = []
    parameters: list[Parameter] = []
    indicators: list[Indicator] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=1)
    lifecycle: Lifecycle
    materials: list[Material] = []
    review_chain: list[ReviewStep] = []
    rubric: list[RubricItem] = []
    reporting: Reporting
    targets: list[Target] = []
    parts_of_whole: list[PartsOfWhole] = []
    documents: list[DocumentAudience] = []

    @field_validator("parameters", "indicators", "criteria")
    @classmethod
    def _ids_unique(cls, items: list[BaseModel]) -> list[BaseModel]:
        seen: set[str] = set()
        for item in items:
            ident = getattr(item, "id")  # noqa: B009
            if ident in seen:
                raise ValueError(f"duplicate id {ident!r}")
            seen.add(ident)
        return items

    # Small lookups used everywhere.
    @property
    def id(self) -> str:
        return self.identity.id

    def indicator(self, ident: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == ident:
                return ind
        raise KeyError(ident)

    def parameter(self, ident: str) -> Parameter:
        for p in self.parameters:
            if p.id == ident:
                return p
        raise KeyError(ident)

    def criteria_for(self, stage: str) -> list[Criterion]:
        return [c for c in self.criteria if c.stage == stage]

    def review_steps(self, stage: str = "application") -> list[ReviewStep]:
        """The review chain of one stage (application or acceptance), in order."""
        return [step for step in self.review_chain if step.stage == stage]

    def audience(self, kind: str) -> DocumentAudience:
        """Who may read ``kind`` of document: the file's ``documents:`` line, else xiaozhen's default."""
        for line in self.documents:
            if line.kind == kind:
                return line
        return DocumentAudience.model_validate({
            "kind": kind, "audience": DEFAULT_AUDIENCE[kind],
            "default_source": "xiaozhen 默认 default (docs/documents.md)",
        })

    def tier(self, ident: str) -> Tier:
        for t in self.lifecycle.tiers:
            if t.id == ident:
                return t
        raise KeyError(ident)
