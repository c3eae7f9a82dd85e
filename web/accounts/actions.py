"""Account state changes: organisations and users. Each is audited.

``by=None`` means the system (bootstrap, demo loading); a signed-in caller must pass the
``can_manage_users_in`` rule (inside its own region).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

import audit
from portal.errors import ActionError
from regions.models import Region

from .hashers import PublishedPasswordHasher
from .models import SSO_ROLES, Organisation, Role, User, sso_username
from .permissions import SCOPE_LEVEL, can_manage_users_in


def _require_manager(by: User | None, region: Region | None) -> None:
    if by is None:
        return
    can_manage_users_in.require(by, region)


@transaction.atomic
def create_organisation(*, name_zh: str, kind: str, region: Region | None = None, name_en: str = "", by: User | None = None) -> Organisation:
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
    region: Region | None = None,
    town: Any = None,  # a towns.models.Town: accounts stands below towns and may not import it (ADR 0003)
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


@transaction.atomic
def provision_sso_user(
    *, subject: str, role: str, region_code: str, full_name: str = "", email: str = "", issuer: str = ""
) -> User:
    """Create or update the account of a person signed in through the government login (OIDC).

    The provider vouches for who they are; their role and region come from its claims, mapped by
    settings (accounts/oidc.py). Refused, and nobody is created, when the role is not one single
    sign-on may give, the region code is unknown or of the wrong level for the role, the account is
    deactivated, or the name belongs to a local password account. An audit row records every creation
    and every change of role, region, name or e-mail.
    """
    if not subject:
        raise ActionError("统一身份认证未给出用户标识(sub)，未能登录", "the government login gave no subject (sub); "
                          "you are not signed in")
    if role not in SSO_ROLES:
        raise ActionError("统一身份认证给出的角色本系统不认可，未能登录；请联系管理员",
                          "the government login named no role this system gives; you are not signed in — "
                          "ask your administrator", field="role")
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is None:
        raise ActionError(f"统一身份认证给出的行政区划代码“{region_code or '—'}”本系统不认可，未能登录；请联系管理员",
                          f"the government login named no region this system knows ({region_code or '—'}); "
                          "you are not signed in — ask your administrator", field="region")
    level = SCOPE_LEVEL.get(Role(role))
    if level is not None and region.level != level:
        raise ActionError(f"此角色的管辖范围须为{_level_zh(level)}级行政区，统一身份认证给出的是{region.name_zh}，未能登录",
                          f"a {role} needs a {level}-level region, the government login named {region.name_en}; "
                          "you are not signed in", field="region")
    username = sso_username(subject)
    user = User.objects.select_for_update().filter(username=username).first()
    if user is not None and user.has_usable_password():
        raise ActionError(f"用户名 {username} 属于本地密码账号，不能用统一身份认证登录",
                          f"{username} is a local password account; it cannot sign in through the government login")
    if user is not None and not user.is_active:
        raise ActionError("此账号已停用，未能登录", "this account is deactivated; you are not signed in")
    wanted = {"role": role, "region": region, "full_name": full_name[:64], "email": email}
    created = user is None
    if user is None:
        user = User(username=username)
        user.set_unusable_password()
        changed = list(wanted)
    else:
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        if not changed:
            return user
    for name, value in wanted.items():
        setattr(user, name, value)
    user.save()
    audit.record(actor=user, verb="provision_sso_user", obj=user, region=region,
                 data={"username": username, "created": created, "changed": changed, "role": role,
                       "region": region.code, "issuer": issuer})
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
