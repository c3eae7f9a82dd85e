"""The chain-template file format (``chains/*.yaml``), validated with pydantic."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..policy import Text
from ._industry import normalise_industry_code

Stage = Literal["upstream", "midstream", "downstream"]
STAGE_LABELS: dict[str, Text] = {
    "upstream": Text(zh="上游", en="Upstream"),
    "midstream": Text(zh="中游", en="Midstream"),
    "downstream": Text(zh="下游", en="Downstream"),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SegmentCode(_Model):
    code: str = Field(description="a GB/T 4754-2017 division, group or class, e.g. C34 or C3451")
    label: Text

    @field_validator("code")
    @classmethod
    def _valid_code(cls, value: str) -> str:
        normalise_industry_code(value)
        return value

    @property
    def digits(self) -> str:
        return normalise_industry_code(self.code)


class Segment(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    stage: Stage
    label: Text
    codes: list[SegmentCode] = Field(min_length=1)
    attract: Text = Field(description="whom to attract when the segment is a gap (招商方向)")

    @property
    def stage_label(self) -> Text:
        return STAGE_LABELS[self.stage]


class AppliesTo(_Model):
    programme: str
    category: str


class ChainTemplate(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: Text
    applies_to: list[AppliesTo] = Field(min_length=1)
    source: str = Field(min_length=3, description="where the segments come from")
    weak_below: int = Field(default=2, ge=1, description="fewer firms than this: a weak segment")
    weak_below_source: str = Field(
        default="xiaozhen 默认 default: 少于 2 家为薄弱环节 / fewer than 2 firms is weak (not in any seed)"
    )
    segments: list[Segment] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_and_ordered(self) -> ChainTemplate:
        ids = [s.id for s in self.segments]
        if len(ids) != len(set(ids)):
            raise ValueError(f"环节编号重复 / duplicate segment ids: {sorted({i for i in ids if ids.count(i) > 1})}")
        order = ["upstream", "midstream", "downstream"]
        stages = [order.index(s.stage) for s in self.segments]
        if stages != sorted(stages):
            raise ValueError("环节须按上游、中游、下游排列 / segments must run upstream → midstream → downstream")
        return self
