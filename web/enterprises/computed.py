"""Town indicators counted from the enterprise registry, fed to the engine (registered from EnterprisesConfig.ready).

Whenever the registry holds a town's firms for a year, these indicators of the town's programmes
are read from the registry rather than from the town's own answer (issue 12; 000 第二部分(六),
001 §三(四)): ``towns.facts`` lays them over the town's actual row for that year when it reads the
facts, and keeps the town's figure beside them, so the verdict page shows both and says which it used.

- ``above_scale_enterprises``: firms flagged above scale (规模以上) that year;
- ``above_scale_with_rd``: of those, firms with an R&D institution — only when every above-scale
  firm says yes or no (an unknown would undercount);
- ``high_tech_enterprises``: firms holding a high-tech certificate — only when every firm says.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q

from towns.facts import ComputedFigure, register_computed_figures

from .models import EnterpriseYear

#: The indicator ids the registry can count (a programme file uses these ids to receive them).
REGISTRY_INDICATORS = ("above_scale_enterprises", "above_scale_with_rd", "high_tech_enterprises")


@register_computed_figures("enterprise_registry")
def registry_figures(town_pks: set[int], wanted: set[str]) -> Iterator[ComputedFigure]:
    """One figure per town, year and indicator the registry can count and the programme reads."""
    wanted = wanted & set(REGISTRY_INDICATORS)
    if not wanted or not town_pks:
        return
    rows = (
        EnterpriseYear.objects.filter(town_id__in=town_pks)
        .values("town_id", "year")
        .annotate(
            n=Count("pk"),
            above=Count("pk", filter=Q(above_scale=True)),
            above_rd=Count("pk", filter=Q(above_scale=True, rd_institution=True)),
            above_rd_known=Count("pk", filter=Q(above_scale=True, rd_institution__isnull=False)),
            certified=Count("pk", filter=Q(high_tech=True)),
            certified_known=Count("pk", filter=Q(high_tech__isnull=False)),
        )
        .order_by("town_id", "year")
    )
    for r in rows:
        source = f"企业库 {r['year']} 年 {r['n']} 家企业 / enterprise registry, {r['n']} firms in {r['year']}"

        def figure(ident: str, value: int, how: str, r: Any = r, source: str = source) -> ComputedFigure:
            return ComputedFigure(town_pk=r["town_id"], year=r["year"], indicator=ident, value=float(value),
                                  source=source, how=how)

        if "above_scale_enterprises" in wanted:
            yield figure("above_scale_enterprises", r["above"],
                         f"{r['n']} 家中规上 {r['above']} 家 / {r['above']} of {r['n']} firms above scale")
        if "above_scale_with_rd" in wanted and r["above_rd_known"] == r["above"]:
            yield figure("above_scale_with_rd", r["above_rd"],
                         f"规上 {r['above']} 家中有研发机构 {r['above_rd']} 家 / "
                         f"{r['above_rd']} of {r['above']} above-scale firms have an R&D institution")
        if "high_tech_enterprises" in wanted and r["certified_known"] == r["n"]:
            yield figure("high_tech_enterprises", r["certified"],
                         f"{r['n']} 家中持高新技术企业证书 {r['certified']} 家 / "
                         f"{r['certified']} of {r['n']} firms hold a high-tech certificate")
