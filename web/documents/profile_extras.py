"""Public lines on a town's profile from other apps: its 亩均 classes (once published after 公示) and its
place in the vitality index (the latest finished uncertainty run), each only when it exists."""

from __future__ import annotations

from typing import Any

from enterprises.selectors import latest_town_classes
from towns.models import Town
from vitality.models import IndexRun

from .kinds import register_profile_extra


@register_profile_extra
def per_mu_classes(town: Town) -> dict[str, Any] | None:
    classes = latest_town_classes(town)
    if classes is None or not any(classes[c] for c in "ABCD"):
        return None
    counts = " · ".join(f"{c}类 {classes[c]} 家" for c in "ABCD")
    return {"label_zh": f"亩均效益评价({classes['year']}年)", "label_en": "Per-mu classes", "value": counts}


@register_profile_extra
def vitality_rank(town: Town) -> dict[str, Any] | None:
    for run in IndexRun.objects.filter(status=IndexRun.Status.DONE).order_by("-finished_at")[:5]:
        units = run.result.get("units") or []
        mine = next((u for u in units if u.get("code") == town.code), None)
        if mine is not None:
            return {"label_zh": "活力指数排名", "label_en": "Vitality index rank",
                    "value": f"第 {mine['median_rank']:.0f} 名 / 共 {len(units)} 个"
                             f"（90% 区间 第 {mine['p5']:.0f}–{mine['p95']:.0f} 名，{run.result.get('year') or ''}年）"}
    return None
