"""How a programme's project ledger (项目台账) ties to its reported investment.

The seeds do not say it in one shape: Tongzhou leaves residential projects out
of the investment that counts (003 §三(四)); Guangxi and Zhejiang leave out
commercial housing and commercial complexes (000 第二部分(四), 002 §一). The
programme files have no field for it yet, so the links of the shipped
programmes are written here, each citing its clause. A caller may pass its own
``LedgerLink`` to ``read_report`` (a synthetic or new programme).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..policy import Policy
from ._layout import PROJECT_TYPES

#: What the quarterly-reporting brief names as never counted, used where a programme says nothing.
DEFAULT_EXCLUDED_TYPES: tuple[str, ...] = ("residential", "commercial_complex")


@dataclass(frozen=True)
class LedgerLink:
    """The reported indicators that the ledger's completed investment must add up to.

    ``total``: the reported investment, equal to the ledger's completed investment
    over every project of the town. ``parts``: reported indicators, each equal to the
    ledger's completed investment over the listed project types. ``excluded_types``:
    project types left out of the investment that counts (``counted_investment``).
    Sums agree when they differ by at most ``max(abs_tolerance, rel_tolerance × reported)``
    in the unit of ``total``.
    """

    total: str | None
    parts: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    excluded_types: tuple[str, ...] = DEFAULT_EXCLUDED_TYPES
    clause: str | None = None
    abs_tolerance: float = 0.01
    rel_tolerance: float = 0.001

    def __post_init__(self) -> None:
        unknown = [t for types in self.parts.values() for t in types if t not in PROJECT_TYPES]
        unknown += [t for t in self.excluded_types if t not in PROJECT_TYPES]
        if unknown:
            raise ValueError(f"未知项目类型 / unknown project type(s): {', '.join(unknown)}")

    def tolerance(self, reported: float) -> float:
        return max(self.abs_tolerance, self.rel_tolerance * abs(reported))

    def check(self, policy: Policy) -> None:
        """ValueError if an indicator named here is not a reported amount of ``policy``."""
        for ident in [self.total, *self.parts]:
            if ident is None:
                continue
            try:
                ind = policy.indicator(ident)
            except KeyError:
                raise ValueError(f"{policy.id} 没有指标 {ident!r} / {policy.id} has no indicator {ident!r}") from None
            if ind.kind != "reported":
                raise ValueError(f"{ident!r} 不是填报指标 / {ident!r} is not a reported indicator")


_FEATURE = ("feature_industry",)

#: The shipped programmes' links, by programme id.
LEDGER_LINKS: Mapping[str, LedgerLink] = MappingProxyType({
    # 003 §三(四): 以上投资均不含住宅项目 — residential only; commercial complexes count.
    "tongzhou-towns": LedgerLink(
        total="investment",
        parts=MappingProxyType({"feature_investment": _FEATURE, "residential_investment": ("residential",)}),
        excluded_types=("residential",),
        clause="003 §三(四)",
    ),
    # 000 第二部分(四): 固定资产投资10亿元以上(商品住宅项目和商业综合体除外).
    "guangxi-innovation-towns": LedgerLink(
        total="fixed_asset_investment",
        parts=MappingProxyType({
            "feature_investment": _FEATURE,
            "housing_investment": ("residential",),
            "commercial_complex_investment": ("commercial_complex",),
        }),
        excluded_types=("residential", "commercial_complex"),
        clause="000 第二部分(四)",
    ),
    # 002 §一: 有效投资(不含商品住宅和商业综合体项目).
    "zhejiang-towns": LedgerLink(
        total="investment",
        parts=MappingProxyType({
            "feature_investment": _FEATURE,
            "excluded_investment": ("residential", "commercial_complex"),
        }),
        excluded_types=("residential", "commercial_complex"),
        clause="002 §一",
    ),
    # The 2021 national guideline sets a feature-industry share but excludes no project type.
    "national-guideline-2021": LedgerLink(
        total="investment",
        parts=MappingProxyType({"feature_investment": _FEATURE}),
        excluded_types=(),
        clause="NDRC-2021 (DOMAIN.md national limits)",
    ),
})


def ledger_link_for(policy: Policy) -> LedgerLink:
    """The programme's link, or one that checks no indicator (programmes without investment)."""
    return LEDGER_LINKS.get(policy.id, LedgerLink(total=None))


def ledger_unit(policy: Policy, link: LedgerLink) -> str:
    """The unit the ledger's investment columns are written in: that of the linked total."""
    if link.total is not None:
        try:
            return policy.indicator(link.total).unit
        except KeyError:
            pass
    return "万元"
