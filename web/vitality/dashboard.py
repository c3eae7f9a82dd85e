"""Navigation entries of the vitality app (registered from VitalityConfig.ready)."""

from __future__ import annotations

from portal.dashboard import register_nav

from .permissions import can_review_signals, can_view_vitality

register_nav(key="vitality", zh="活力指数", en="Vitality index", url_name="vitality:index",
             allowed=can_view_vitality, order=60)
register_nav(key="signals", zh="数据线索", en="Data signals", url_name="vitality:signals",
             allowed=can_review_signals, order=61)
