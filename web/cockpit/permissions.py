"""Who sees the cockpit, and of which region.

    can_view_cockpit(user)               provincial, city and county officers; auditors
    cockpit_region_allowed(user, region) the region lies inside the user's scope
    can_upload_base_layer(user, region)  an officer for its own region
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from accounts.permissions import in_scope, is_active
from portal.rules import rule

COCKPIT_ROLES = {Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE, Role.AUDITOR}


@rule("驾驶舱供省、市、县主管部门使用", "the cockpit is for provincial, city and county offices")
def can_view_cockpit(user: Any) -> bool:
    return is_active(user) and user.role in COCKPIT_ROLES


@rule("该地区不在您的辖区内", "this region is outside your scope")
def cockpit_region_allowed(user: Any, region: Any) -> bool:
    return can_view_cockpit(user) and in_scope(user, region)


@rule("只能为本单位所辖地区上传底图", "you may upload the base layer of your own region only")
def can_upload_base_layer(user: Any, region: Any) -> bool:
    return (region is not None and is_active(user) and user.role in (Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE)
            and user.region_id == region.pk)
