"""API actions: tokens (create — the secret is returned once —, revoke, note a use) and
report pushes under an idempotency key."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

import audit
from accounts.models import User
from portal.errors import ActionError

from .models import ApiToken, ReportPush
from .permissions import can_create_api_token, can_revoke_api_token
from .tokens import hash_secret, new_secret, shown_prefix

if TYPE_CHECKING:
    from programmes.models import Programme
    from towns.models import Town

#: How often a token's "last used" stamp is rewritten (not on every request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to its user once; never stored


@transaction.atomic
def create_api_token(*, by: User, name: str, expires_at: dt.datetime | None = None, secret: str | None = None) -> IssuedToken:
    """A new token for ``by`` itself: it acts with by's role and region scope, never more.

    ``secret`` is for the demo loader only (a known, printed token); otherwise it is random.
    """
    can_create_api_token.require(by)
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
def revoke_api_token(*, token: ApiToken, by: User, reason: str = "") -> ApiToken:
    can_revoke_api_token.require(by, token)
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


# --- report pushes ---------------------------------------------------------------------------


class IdempotencyConflict(ActionError):
    """The key was used for this town and period with another body (the API answers 409)."""


@dataclass(frozen=True)
class PushResult:
    push: ReportPush
    replayed: bool  # True: the key was seen with this very body; nothing was stored again


def body_hash(values: Mapping[str, Any], ledger: Iterable[Mapping[str, Any]], mode: str = "patch") -> str:
    body: dict[str, Any] = {"values": dict(values), "ledger": list(ledger)}
    if mode != "patch":
        body["mode"] = mode
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _refuse_control_characters(values: Mapping[str, Any], ledger: list[Mapping[str, Any]]) -> None:
    texts = [("values." + str(k), v) for k, v in values.items()] + [("values", str(k)) for k in values]
    texts += [(f"ledger.{i}.{k}", v) for i, row in enumerate(ledger, 1) for k, v in row.items()]
    bad = [where for where, v in texts if isinstance(v, str) and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in v)]
    if bad:
        raise ActionError("数据含有控制字符", "the data holds control characters", field=bad[0],
                          details=[f"{where}：含有控制字符 / {where}: holds a control character" for where in bad])


@transaction.atomic
def push_report(
    *, town: Town, programme: Programme, period: str, values: Mapping[str, Any], ledger: list[Mapping[str, Any]], key: str, by: User,
    token: ApiToken | None, answer: Callable[[Any], dict[str, Any]], mode: str = "patch",
) -> PushResult:
    """Submit one town's report for a period through the API, at most once per key.

    The checks, storage and revisions are ``reports.actions.submit_report_values`` (the same
    as an Excel upload: any problem stores nothing). ``answer(report)`` is the JSON the API
    returns; it is kept, so a repeat with the same key and body gets exactly that answer.
    """
    from reports.actions import submit_report_values
    from reports.models import ReportRevision
    from reports.permissions import can_file_report

    # Before looking at the key: whoever may not file for the town learns nothing about its keys.
    can_file_report.require(by, town)
    key = (key or "").strip()
    if not key:
        raise ActionError("请提供幂等键", "an idempotency key is required", field="idempotency_key")
    digest = body_hash(values, ledger, mode)
    existing = ReportPush.objects.filter(town=town, programme=programme, period=period, key=key).first()
    if existing is not None:
        return _replay(existing, digest)
    _refuse_control_characters(values, ledger)
    report = submit_report_values(town=town, programme=programme, period=period, values=values, ledger=ledger,
                                  by=by, source=ReportRevision.Source.API, key=key, mode=mode)
    try:
        with transaction.atomic():
            push = ReportPush.objects.create(town=town, programme=programme, period=period, key=key,
                                             body_hash=digest, report=report, response=answer(report),
                                             token=token, by=by)
    except IntegrityError:
        # Another request with the same key won the race: answer as a repeat of it.
        return _replay(ReportPush.objects.get(town=town, programme=programme, period=period, key=key), digest)
    audit.record(actor=by, verb="push_report", obj=push, to_state=report.status,
                 data={"town": town.code, "programme": programme.policy_id, "period": period, "key": key, "mode": mode,
                       "report": report.pk, "token": token.prefix if token else None})
    return PushResult(push, replayed=False)


def _replay(push: ReportPush, digest: str) -> PushResult:
    if push.body_hash != digest:
        raise IdempotencyConflict(
            f"幂等键“{push.key}”已用于 {push.period} 的另一份内容：请换一个键",
            f"the idempotency key {push.key!r} was already used for {push.period} with a different body: use a new key",
            field="idempotency_key")
    return PushResult(push, replayed=True)
