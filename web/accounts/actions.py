"""Account state changes: organisations and users. Each is audited.

``by=None`` means the system (bootstrap, demo loading); a signed-in caller must pass the
``can_manage_users_in`` rule (inside its own region).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

import audit
from portal.errors import ActionError

from .hashers import PublishedPasswordHasher
from .models import Organisation, Role, User
from .permissions import SCOPE_LEVEL, can_manage_users_in


def _require_manager(by: User | None, region) -> None:
    if by is None:
        return
    can_manage_users_in.require(by, region)


@transaction.atomic
def create_organisation(*, name_zh: str, kind: str, region=None, name_en: str = "", by: User | None = None) -> Organisation:
    _require_manager(by, region)
    if kind not in Organisation.Kind.values:
        raise ActionError(f"未知机构类型 {kind!r}", f"unknown organisation kind {kind!r}", field="kind")
    organisation = Organisation.objects.create(name_zh=name_zh, name_en=name_en, kind=kind, region=region)
    audit.record(actor=by, verb="create_organisation", obj=organisation, region=region,
                 data={"name_zh": name_zh, "kind": kind})
    return organisation


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: str,
    region=None,
    town=None,
    organisation: Organisation | None = None,
    full_name: str = "",
    email: str = "",
    by: User | None = None,
    check_password: bool = True,
) -> User:
    """Create a user whose role and scope fit together (see accounts.models).

    Provincial officers, city reviewers and county offices need a region of their level;
    a town body needs its town (its region is the town's); an auditor without a region
    sees the whole country. ``check_password=False`` skips Django's password validators and
    hashes with the cheap ``PublishedPasswordHasher`` (demo and benchmark accounts only, whose
    passwords are printed; the first sign-in re-hashes with the default hasher).
    """
    _require_manager(by, town.region if town is not None else region)
    if role not in Role.values:
        raise ActionError(f"未知角色 {role!r}", f"unknown role {role!r}", field="role")
    level = SCOPE_LEVEL.get(Role(role))
    if level is not None and (region is None or region.level != level):
        raise ActionError(
            f"此角色的管辖范围须为{_level_zh(level)}级行政区",
            f"a {role} needs a {level}-level region",
            field="region",
        )
    if role == Role.TOWN_BODY:
        if town is None:
            raise ActionError("小镇建设主体须指定所属小镇", "a town body needs its town", field="town")
        region = town.region
    elif town is not None:
        raise ActionError("只有小镇建设主体可以指定所属小镇", "only a town body has a town", field="town")
    if User.objects.filter(username=username).exists():
        raise ActionError(f"用户名 {username} 已存在", f"username {username} is taken", field="username")
    user = User(username=username, role=role, region=region, town=town, organisation=organisation,
                full_name=full_name, email=email)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ActionError("；".join(exc.messages), "; ".join(exc.messages), field="password") from None
    if check_password:
        user.set_password(password)
    else:
        user.password = _published_hash(password)
    user.save()
    audit.record(actor=by, verb="create_user", obj=user, region=region,
                 data={"username": username, "role": role, "region": region.code if region else None,
                       "town": town.code if town else None})
    return user


def _published_hash(password: str) -> str:
    """The password hashed with ``PublishedPasswordHasher``, or the default hasher where a
    deployment's ``PASSWORD_HASHERS`` does not list it."""
    try:
        return make_password(password, hasher=PublishedPasswordHasher.algorithm)
    except ValueError:
        return make_password(password)


def _level_zh(level: str) -> str:
    return {"province": "省", "city": "地市", "county": "县(区)"}.get(level, level)
