"""The audit trail's dashboard panel and navigation entry."""

from __future__ import annotations

from portal.dashboard import register_nav, register_panel

from .permissions import can_view_audit, visible_audit_entries

register_nav(key="audit", zh="审计日志", en="Audit trail", url_name="audit:list", allowed=can_view_audit, order=90)


@register_panel(key="recent_audit", zh="最近操作", en="Recent actions",
                allowed=can_view_audit,
                template="audit/panels/recent.html", order=90)
def recent_audit(request):
    return {"entries": list(visible_audit_entries(request.user).select_related("actor")[:10])}
