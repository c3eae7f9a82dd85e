"""Organisation and User (the AUTH_USER_MODEL).

A user has one role and a region scope (docs/web.md, "Roles and scopes"):

| role               | region scope              | sees                                   |
|--------------------|---------------------------|----------------------------------------|
| provincial_officer | a province                | everything in the province             |
| city_reviewer      | a city                    | everything in the city                 |
| county_office      | a county                  | everything in the county               |
| town_body          | (its town's county)       | its own town only (``town``)           |
| expert             | optional home region      | only what it is assigned               |
| auditor            | a region, or none = all   | everything in scope, read-only         |
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from portal.bilingual import bi_lazy


class Role(models.TextChoices):
    PROVINCIAL_OFFICER = "provincial_officer", bi_lazy("省级主管部门", "Provincial officer")
    CITY_REVIEWER = "city_reviewer", bi_lazy("设区市审核员", "City reviewer")
    COUNTY_OFFICE = "county_office", bi_lazy("县(区)级办公室", "County office")
    TOWN_BODY = "town_body", bi_lazy("小镇建设主体", "Town body")
    EXPERT = "expert", bi_lazy("评审专家", "Expert")
    AUDITOR = "auditor", bi_lazy("审计员(只读)", "Auditor (read-only)")


#: Officials acting within a region, and the roles whose sight is bounded by a region.
OFFICER_ROLES = frozenset({Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE})
REGION_SCOPED_ROLES = OFFICER_ROLES | {Role.AUDITOR}
#: Roles single sign-on may give (accounts.oidc): the region-scoped ones. A town body's town and an
#: expert's assignments are set by an officer, never by a login.
SSO_ROLES = REGION_SCOPED_ROLES
SSO_USERNAME_PREFIX = "sso-"


def sso_username(subject: str) -> str:
    """The local username of the person the government login calls ``subject`` (its ``sub`` claim,
    stable for life): ``sso-<sub>``, or ``sso-`` and the sub's SHA-256 when that would not fit."""
    if len(SSO_USERNAME_PREFIX) + len(subject) <= 150:
        return SSO_USERNAME_PREFIX + subject
    return SSO_USERNAME_PREFIX + hashlib.sha256(subject.encode()).hexdigest()


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVINCIAL_OFFICE = "provincial_office", bi_lazy("省级主管部门", "Provincial office")
        CITY_BUREAU = "city_bureau", bi_lazy("设区市科技局", "City bureau")
        COUNTY_OFFICE = "county_office", bi_lazy("县(区)级办公室", "County office")
        # A functional department of a county or district (区发展改革委, 区生态环境局 …) that gives its opinion
        # in a joint review (联审, 003 §四(二)); its region is the county.
        DEPARTMENT = "department", bi_lazy("县(区)级职能部门", "County department")
        TOWN_BODY = "town_body", bi_lazy("小镇建设主体", "Town body")
        EXPERT_POOL = "expert_pool", bi_lazy("专家库", "Expert pool")

    name_zh = models.CharField(bi_lazy("中文名称", "Chinese name"), max_length=128)
    name_en = models.CharField(bi_lazy("英文名称", "English name"), max_length=200, blank=True)
    kind = models.CharField(bi_lazy("类型", "Kind"), max_length=24, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )

    class Meta:
        ordering = ["region__code", "name_zh"]
        verbose_name = bi_lazy("机构", "Organisation")
        verbose_name_plural = bi_lazy("机构", "Organisations")
        constraints = [
            models.UniqueConstraint(fields=["name_zh", "region"], name="organisation_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def audit_region(self):
        return self.region


class User(AbstractUser):
    """A person who signs in. Never deleted (audit rows point at it): deactivate instead."""

    role = models.CharField(
        bi_lazy("角色", "Role"), max_length=24, choices=Role.choices, default=Role.AUDITOR
    )
    full_name = models.CharField(bi_lazy("姓名", "Full name"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=bi_lazy("管辖范围", "Region scope"),
    )
    town = models.ForeignKey(
        "towns.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=bi_lazy("所属小镇", "Town"),
        help_text=bi_lazy("仅小镇建设主体", "town bodies only"),
    )

    class Meta:
        verbose_name = bi_lazy("用户", "User")
        verbose_name_plural = bi_lazy("用户", "Users")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="town_body") & Q(town__isnull=False))
                | (~Q(role="town_body") & Q(town__isnull=True)),
                name="user_town_iff_town_body",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_region_scoped(self) -> bool:
        """An official or an auditor: sees what lies in a region (regions.scope)."""
        return self.role in REGION_SCOPED_ROLES

    @property
    def scope_prefix(self) -> str | None:
        """The region code prefix this user sees: None nothing by region, "" everything (docs/adr/0004)."""
        if not self.is_region_scoped:
            return None
        region = self.region
        if region is None:
            return "" if self.role == Role.AUDITOR else None
        return str(region.scope_prefix)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def audit_region(self):
        return self.region
