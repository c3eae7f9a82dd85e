"""The letterhead, document number and seal a programme's documents carry (OfficeProfile, or defaults)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from programmes.models import Programme

from .models import OfficeProfile


@dataclass(frozen=True)
class Office:
    letterhead: str  # 红头, printed in red
    issuer_zh: str  # 落款
    issuer_en: str
    number_prefix: str  # 发文机关代字
    seal_data_uri: str  # "" when no seal image is on file: the document prints （盖章）
    configured: bool  # False: defaults from the programme file, not yet set by the office

    def number(self, year: int, serial: int | str) -> str:
        """A document number in the GB/T 9704-2012 form: 代字〔年份〕序号号."""
        return f"{self.number_prefix}〔{year}〕{serial}号"


def _seal_uri(profile: OfficeProfile) -> str:
    if not profile.seal:
        return ""
    try:
        with profile.seal.open("rb") as handle:
            data = handle.read()
    except OSError:  # the file went missing: print the placeholder rather than fail the document
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def office_for(programme: Programme) -> Office:
    issuer = programme.policy.identity.issuer
    try:
        profile = programme.office_profile
    except OfficeProfile.DoesNotExist:
        return Office(letterhead=f"{issuer.zh}文件", issuer_zh=issuer.zh, issuer_en=issuer.en,
                      number_prefix=programme.policy.identity.short_name.zh, seal_data_uri="", configured=False)
    return Office(letterhead=profile.letterhead_zh, issuer_zh=profile.issuer_zh,
                  issuer_en=profile.issuer_en or issuer.en, number_prefix=profile.number_prefix,
                  seal_data_uri=_seal_uri(profile), configured=True)
