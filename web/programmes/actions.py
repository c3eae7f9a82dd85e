"""Programme state changes: syncing the policy files into versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

import audit
from accounts.models import User
from regions.models import Region
from xiaozhen.policy import Policy, PolicyFileError, load_policy_file, policy_files

from .models import Programme, ProgrammeVersion, content_hash, policy_document, remember_policy


@dataclass
class SyncReport:
    created: list[ProgrammeVersion] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sync_programmes(*, by: User | None = None, directory: Path | None = None) -> SyncReport:
    """Load every policy file and record a new ProgrammeVersion for each changed one.

    Each file is loaded with the core loader and synced in its own transaction, so one
    broken file (reported with path and line in ``problems``) does not block the others.
    Programmes whose file has gone are marked inactive, never deleted — but only when
    every file loaded, since a broken file's id cannot be known.
    """
    report = SyncReport()
    seen: dict[str, Path] = {}
    for path in policy_files(directory):
        try:
            policy = load_policy_file(path)
        except PolicyFileError as exc:
            report.problems.extend(str(p) for p in exc.problems)
            continue
        if policy.id in seen:
            report.problems.append(f"{path}: identity.id {policy.id!r} is also used by {seen[policy.id]}")
            continue
        seen[policy.id] = path
        version = sync_programme(policy=policy, path=path, by=by)
        if version is None:
            report.unchanged.append(policy.id)
        else:
            report.created.append(version)
    if report.ok:
        report.deactivated = _deactivate_missing(set(seen), by=by)
    return report


@transaction.atomic
def sync_programme(*, policy: Policy, path: Path, by: User | None = None) -> ProgrammeVersion | None:
    """Make ``policy`` the current version of its programme; None if it already was."""
    document = policy_document(policy)
    digest = content_hash(document)
    remember_policy(digest, policy)
    identity = policy.identity
    region = Region.objects.filter(code=identity.region_code).first() if identity.region_code else None
    programme, _ = Programme.objects.select_for_update().get_or_create(
        policy_id=policy.id,
        defaults={"name_zh": identity.name.zh, "name_en": identity.name.en, "short_name_zh": identity.short_name.zh,
                  "short_name_en": identity.short_name.en, "programme_type": identity.programme_type},
    )
    programme.name_zh, programme.name_en = identity.name.zh, identity.name.en
    programme.short_name_zh, programme.short_name_en = identity.short_name.zh, identity.short_name.en
    programme.programme_type = identity.programme_type
    programme.region_code = identity.region_code or ""
    programme.region = region
    programme.is_active = True
    version = programme.versions.filter(content_hash=digest).first()
    created = version is None
    if version is None:
        last = programme.versions.order_by("-number").first()
        version = ProgrammeVersion.objects.create(
            programme=programme,
            number=(last.number + 1) if last else 1,
            content_hash=digest,
            document=document,
            source_text=path.read_text(encoding="utf-8"),
            source_path=str(path.name),
            effective_from=identity.effective_from,
        )
    previous = programme.current_version
    if previous != version:
        programme.current_version = version
        audit.record(
            actor=by,
            verb="sync_programme",
            obj=programme,
            region=region,
            from_state=f"v{previous.number}" if previous else "",
            to_state=f"v{version.number}",
            reason="政策文件变更 / policy file changed" if created else "恢复为已有版本 / back to an earlier version",
            data={"content_hash": digest, "file": path.name, "new_version": created},
        )
    programme.save()
    return version if previous != version else None


@transaction.atomic
def _deactivate_missing(present: set[str], *, by: User | None = None) -> list[str]:
    gone = list(Programme.objects.filter(is_active=True).exclude(policy_id__in=present))
    for programme in gone:
        programme.is_active = False
        programme.save(update_fields=["is_active"])
        audit.record(actor=by, verb="deactivate_programme", obj=programme,
                     reason="政策文件已不存在 / policy file no longer present")
    return [p.policy_id for p in gone]
