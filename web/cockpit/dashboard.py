"""The cockpit's navigation entry (from CockpitConfig.ready)."""

from __future__ import annotations

from portal.dashboard import register_nav

from .permissions import can_view_cockpit

register_nav(key="cockpit", zh="驾驶舱", en="Cockpit", url_name="cockpit:index", allowed=can_view_cockpit, order=15)
