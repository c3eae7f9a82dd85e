"""Who may see the vitality index and the data signals, run an uncertainty analysis, review a signal.

    can_view_vitality(user)        every active user; what they see is scoped by visible_towns
    can_run_uncertainty(user)      provincial officers (the run ranks the whole programme)
    can_review_signals(user)       officers of the province, a city or a county (not town bodies, experts
                                   or auditors), on towns in their scope
    can_review_signal(user, town)  the above, for one town
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from accounts.permissions import is_active
from portal.rules import rule
from towns.models import Town
from towns.permissions import can_view_town

REVIEWERS = {Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE}


@rule("您无权查看活力指数", "you may not see the vitality index")
def can_view_vitality(user: Any) -> bool:
    return is_active(user)


@rule("无权发起不确定性分析", "you may not start an uncertainty run")
def can_run_uncertainty(user: Any) -> bool:
    return is_active(user) and user.role == Role.PROVINCIAL_OFFICER


@rule("无权查看或处理数据线索", "you may not see or review data signals")
def can_review_signals(user: Any) -> bool:
    return is_active(user) and user.role in REVIEWERS


@rule("无权处理此小镇的线索", "you may not review this town's signals")
def can_review_signal(user: Any, town: Town) -> bool:
    return can_review_signals(user) and can_view_town(user, town)
