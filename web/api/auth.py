"""``Authorization: Bearer <token>``: the token's user becomes ``request.user``.

The API then decides everything with that user's own predicates, so a token can never
do more than its user could in the pages. An unknown, revoked or expired token, or one
whose user is deactivated, is refused with 401 in the one error shape.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .actions import note_api_token_used
from .errors import unauthenticated
from .models import ApiToken
from .ratelimit import count_request
from .tokens import hash_secret


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = (
            ApiToken.objects.select_related("user__region", "user__town").defer("user__town__boundary_geojson")
            .filter(secret_hash=hash_secret(token.strip()))
            .first()
        )
        if found is None:
            raise unauthenticated("token_unknown", "令牌无效", "Unknown API token")
        if found.is_revoked:
            raise unauthenticated("token_revoked", "令牌已吊销", "This API token has been revoked")
        if found.is_expired:
            raise unauthenticated("token_expired", "令牌已过期", "This API token has expired")
        if not found.user.is_active:
            raise unauthenticated("user_inactive", "令牌所属账号已停用", "The token's user account is deactivated")
        count_request(found.pk)  # 429 past API_REQUESTS_PER_MINUTE (api/ratelimit.py)
        note_api_token_used(token=found)
        request.user = found.user
        return found
