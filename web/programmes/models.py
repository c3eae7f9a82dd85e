"""Programme and ProgrammeVersion.

A programme is one policy file (``identity.id``). Each distinct content of that file is a
ProgrammeVersion, identified by the SHA-256 of the validated document (so a comment or
formatting change is not a new version, a changed threshold is). Versions are never
rewritten: decisions (enrolments, tier changes, later assessments) keep a foreign key to
the version they used, and ``version.policy`` rebuilds exactly that policy. See docs/adr/0005.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models

from portal.bilingual import bi_lazy
from xiaozhen.policy import Policy

_POLICIES: dict[str, Policy] = {}

#: A version's large columns. Pages that only need ``version.policy`` (cached by content hash)
#: defer them with ``deferred_document(path)``: decoding the JSON document for every row of a
#: 50-row page cost a quarter of a second (benchmarks/bench_web.py).
HEAVY_VERSION_FIELDS = ("document", "source_text")


def deferred_document(path: str) -> list[str]:
    """``defer()`` arguments for the heavy columns of the version at ``path`` (e.g. ``programme__current_version``)."""
    return [f"{path}__{name}" for name in HEAVY_VERSION_FIELDS]


def remember_policy(digest: str, policy: Policy) -> None:
    """Cache the policy of a version whose document was just written (so pages never re-read it)."""
    _POLICIES.setdefault(digest, policy)


def policy_document(policy: Policy) -> dict[str, Any]:
    """The policy as plain JSON data (aliases as written in the file, dates as ISO strings)."""
    return policy.model_dump(mode="json", by_alias=True)


def content_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ProgrammeType(models.TextChoices):
    CHARACTERISTIC_TOWN = "characteristic_town", bi_lazy("特色小镇", "Characteristic town")
    INNOVATION_TOWN = "innovation_town", bi_lazy("创新小镇", "Innovation town")
    SPECIALISED_TOWN = "specialised_town", bi_lazy("专业镇", "Specialised town")
    HIGH_TECH_ZONE = "high_tech_zone", bi_lazy("高新区", "High-tech zone")


class Programme(models.Model):
    policy_id = models.SlugField(bi_lazy("政策编号", "Policy id"), max_length=64, unique=True)
    name_zh = models.CharField(bi_lazy("中文名称", "Chinese name"), max_length=200)
    name_en = models.CharField(bi_lazy("英文名称", "English name"), max_length=200)
    short_name_zh = models.CharField(bi_lazy("中文简称", "Chinese short name"), max_length=64)
    short_name_en = models.CharField(bi_lazy("英文简称", "English short name"), max_length=64)
    programme_type = models.CharField(
        bi_lazy("类型", "Type"), max_length=32, choices=ProgrammeType.choices
    )
    region_code = models.CharField(bi_lazy("行政区划代码", "Region code"), max_length=6, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text=bi_lazy("空表示全国", "empty means nationwide"),
    )
    current_version = models.ForeignKey(
        "ProgrammeVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(
        bi_lazy("政策文件存在", "Policy file present"), default=True
    )

    class Meta:
        ordering = ["policy_id"]
        verbose_name = bi_lazy("政策项目", "Programme")
        verbose_name_plural = bi_lazy("政策项目", "Programmes")

    def __str__(self) -> str:
        return self.short_name_zh

    @property
    def version(self) -> ProgrammeVersion:
        """The version in force now (LookupError when the programme file was never loaded)."""
        if self.current_version is None:
            raise LookupError(f"programme {self.policy_id} has no version yet: run sync_programmes")
        return self.current_version

    @property
    def policy(self) -> Policy:
        """The policy in force now (the current version)."""
        return self.version.policy

    @property
    def audit_region(self):
        return self.region

    def covers(self, region) -> bool:
        """Whether a town in ``region`` may take part (a nationwide programme covers all)."""
        if not self.region_code:
            return True
        prefix = self.region.scope_prefix if self.region else self.region_code.rstrip("0")
        return region is not None and region.code.startswith(prefix)


class ProgrammeVersion(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(bi_lazy("版本号", "Version"))
    content_hash = models.CharField(bi_lazy("内容摘要", "Content hash (SHA-256)"), max_length=64)
    document = models.JSONField(bi_lazy("政策内容", "Policy document"))
    source_text = models.TextField(bi_lazy("政策文件原文", "Policy file text"))
    source_path = models.CharField(bi_lazy("文件路径", "File path"), max_length=300)
    effective_from = models.DateField(bi_lazy("生效日期", "Effective from"))
    loaded_at = models.DateTimeField(bi_lazy("载入时间", "Loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = bi_lazy("政策版本", "Programme version")
        verbose_name_plural = bi_lazy("政策版本", "Programme versions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programme_version_number_unique"),
            models.UniqueConstraint(fields=["programme", "content_hash"], name="programme_version_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.policy_id} v{self.number} ({self.content_hash[:8]})"

    @property
    def policy(self) -> Policy:
        """Exactly the policy of this version, rebuilt from the stored document (cached by content hash;
        a deferred document is read once per process)."""
        cached = _POLICIES.get(self.content_hash)
        if cached is None:
            cached = _POLICIES[self.content_hash] = Policy.model_validate(self.document)
        return cached

    @property
    def audit_region(self):
        return self.programme.region
