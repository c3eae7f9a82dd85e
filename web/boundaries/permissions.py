"""Who may upload boundaries and red-line layers, and who sees them.

    can_upload_boundary(user, town)        the town's own body, officers whose scope holds the town
    can_manage_red_lines(user, region)     provincial officers, for their province
    visible_red_line_layers(user)          layers of the user's province (a town's layers for its body)
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import in_scope, is_active, scope_prefix
from portal.rules import rule
from towns.models import Town
from towns.permissions import can_edit_town_profile

from .models import RedLineLayer


@rule("无权上传此小镇的边界", "you may not upload this town's boundary")
def can_upload_boundary(user: Any, town: Town) -> bool:
    return can_edit_town_profile(user, town)


@rule("只有省级主管部门可以上传控制线图层", "only the provincial office may upload control-line layers")
def can_manage_red_lines(user: Any, region: Any) -> bool:
    return region is not None and is_active(user) and user.role == Role.PROVINCIAL_OFFICER and in_scope(user, region)


def _province_prefix(user: Any) -> str | None:
    if not is_active(user):
        return None
    if user.role == Role.TOWN_BODY:
        return user.town.region.code[:2] if user.town_id else None
    prefix = scope_prefix(user)
    return None if prefix is None else prefix[:2]


def visible_red_line_layers(user: Any) -> QuerySet[RedLineLayer]:
    prefix = _province_prefix(user)
    if prefix is None:
        return RedLineLayer.objects.none()
    return RedLineLayer.objects.filter(region__code__startswith=prefix)
