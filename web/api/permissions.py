"""Who may hold and revoke API tokens.

    can_create_api_token(user)           any active user, for themself (the token acts as them)
    can_revoke_api_token(user, token)    the token's own user
    visible_api_tokens(user)             a user's own tokens

What a token may *do* is never decided here: the API checks the same predicates as the
pages (``visible_towns``, ``can_record_indicators`` …) for the token's user.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.permissions import is_active
from portal.rules import rule

from .models import ApiToken


@rule("您不能管理接口令牌", "you may not manage API tokens")
def can_create_api_token(user: Any) -> bool:
    return is_active(user)


@rule("您只能吊销自己的令牌", "you may revoke only your own tokens")
def can_revoke_api_token(user: Any, token: ApiToken) -> bool:
    return is_active(user) and token.user_id == user.pk


def visible_api_tokens(user: Any) -> QuerySet[ApiToken]:
    if not is_active(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)
