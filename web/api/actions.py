"""API token actions: create (the secret is returned once), revoke, note a use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

import audit
from portal.errors import ActionError, require

from .models import ApiToken
from .permissions import can_create_api_token, can_revoke_api_token
from .tokens import hash_secret, new_secret, shown_prefix

#: How often a token's "last used" stamp is rewritten (not on every request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to its user once; never stored


@transaction.atomic
def create_api_token(*, by, name: str, expires_at: dt.datetime | None = None, secret: str | None = None) -> IssuedToken:
    """A new token for ``by`` itself: it acts with by's role and region scope, never more.

    ``secret`` is for the demo loader only (a known, printed token); otherwise it is random.
    """
    require(can_create_api_token(by), "您不能创建接口令牌", "you may not create API tokens")
    name = (name or "").strip()
    if not name:
        raise ActionError("请填写令牌名称", "give the token a name", field="name")
    if len(name) > 100:
        raise ActionError("令牌名称不超过 100 个字", "the name is longer than 100 characters", field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ActionError("过期时间必须晚于现在", "the expiry must be in the future", field="expires_at")
    if secret is not None and (not secret.startswith("xz_") or len(secret) < 32):
        raise ActionError("令牌须以 xz_ 开头且不短于 32 个字符", "a token starts with xz_ and has at least 32 characters",
                          field="secret")
    secret = secret or new_secret()
    if ApiToken.objects.filter(secret_hash=hash_secret(secret)).exists():
        raise ActionError("该令牌已存在", "this token already exists", field="secret")
    token = ApiToken.objects.create(user=by, name=name, prefix=shown_prefix(secret),
                                    secret_hash=hash_secret(secret), expires_at=expires_at)
    audit.record(actor=by, verb="create_api_token", obj=token, to_state="active",
                 data={"name": name, "prefix": token.prefix,
                       "expires_at": expires_at.isoformat() if expires_at else None})
    return IssuedToken(token, secret)


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by, reason: str = "") -> ApiToken:
    require(can_revoke_api_token(by, token), "您只能吊销自己的令牌", "you may revoke only your own tokens")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ActionError("该令牌已吊销", "this token is already revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=by, verb="revoke_api_token", obj=token, from_state="active", to_state="revoked",
                 reason=reason, data={"prefix": token.prefix})
    return token


def note_api_token_used(*, token: ApiToken, at: dt.datetime | None = None) -> None:
    """Stamp ``last_used_at`` (at most once a minute). Bookkeeping, not a decision: not
    audited — one row per request would drown the trail."""
    at = at or timezone.now()
    if token.last_used_at is not None and at - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
    token.last_used_at = at
