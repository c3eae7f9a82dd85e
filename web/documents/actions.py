"""State changes of the documents app: an office's letterhead, document-number prefix and seal."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

import audit
from accounts.models import User
from portal.errors import ActionError
from programmes.models import Programme

from .models import OfficeProfile
from .permissions import can_manage_office

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SEAL_BYTES = 512 * 1024


def _check_seal(seal: UploadedFile) -> None:
    if seal.size is None or seal.size > MAX_SEAL_BYTES:
        raise ActionError("印章图片不得超过 512 KB", "the seal image may be at most 512 KB", field="seal")
    head = seal.read(8)
    seal.seek(0)
    if head != PNG_MAGIC:
        raise ActionError(f"文件 {seal.name} 不是 PNG 图片", f"file {seal.name} is not a PNG image", field="seal")


def _office_details(profile: OfficeProfile) -> dict[str, Any]:
    return {"letterhead_zh": profile.letterhead_zh, "number_prefix": profile.number_prefix,
            "issuer_zh": profile.issuer_zh, "issuer_en": profile.issuer_en, "seal": bool(profile.seal)}


def _office_state(details: dict[str, Any] | None) -> str:
    return "" if details is None else f"{details['number_prefix'][:48]} | {'有印章 seal' if details['seal'] else '无印章 no seal'}"


@transaction.atomic
def save_office_profile(*, programme: Programme, by: User, letterhead_zh: str, issuer_zh: str, issuer_en: str,
                        number_prefix: str, seal: UploadedFile | None = None, reason: str = "") -> OfficeProfile:
    can_manage_office.require(by, programme)
    if seal is not None:
        _check_seal(seal)
    profile = OfficeProfile.objects.select_for_update().filter(programme=programme).first()
    before = None if profile is None else _office_details(profile)
    if profile is None:
        profile = OfficeProfile(programme=programme, updated_by=by)
    profile.letterhead_zh, profile.issuer_zh = letterhead_zh.strip(), issuer_zh.strip()
    profile.issuer_en, profile.number_prefix = issuer_en.strip(), number_prefix.strip()
    profile.updated_by = by
    if seal is not None:
        profile.seal.save(f"seal-{programme.policy_id}.png", seal, save=False)
    profile.save()
    # The states are short summaries; the details are data.
    after = _office_details(profile)
    audit.record(actor=by, verb="save_office_profile", obj=profile,
                 from_state=_office_state(before), to_state=_office_state(after),
                 data={"before": before, "after": after},
                 reason=reason or "发文设置更新 office details updated")
    return profile
