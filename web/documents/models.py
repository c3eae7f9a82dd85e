"""The office settings that every official document carries (红头, 发文字号, 落款, 印章).

* OfficeProfile — one per programme: the letterhead line printed in red at the top, the
  document-number prefix (发文机关代字), the issuing office's name for the signature block, and
  an optional seal image. Without a seal image a document prints "（盖章）" where the seal goes:
  xiaozhen never draws a seal of its own. Electronic seals to GB/T 38540 are out of scope
  (docs/documents.md).

Rows change only through documents/actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.bilingual import bi_lazy
from regions.models import Region


class OfficeProfile(models.Model):
    programme = models.OneToOneField("programmes.Programme", on_delete=models.PROTECT, related_name="office_profile",
                                     verbose_name=bi_lazy("政策项目", "Programme"))
    letterhead_zh = models.CharField(
        bi_lazy("红头(发文机关标志)", "Letterhead"), max_length=100,
        help_text=bi_lazy("如：南通市通州区特色小镇建设工作联席会议办公室文件",
                          "e.g. the issuing office's name followed by 文件"),
    )
    issuer_zh = models.CharField(bi_lazy("落款机关", "Issuing office"), max_length=100)
    issuer_en = models.CharField(bi_lazy("落款机关(英文)", "Issuing office (English)"), max_length=200, blank=True)
    number_prefix = models.CharField(
        bi_lazy("发文机关代字", "Document-number prefix"), max_length=20,
        help_text=bi_lazy("如：通特镇办，文号印作 通特镇办〔2026〕3号", "e.g. 通特镇办, printed as 通特镇办〔2026〕3号"),
    )
    seal = models.FileField(bi_lazy("印章图片(PNG)", "Seal image (PNG)"), upload_to="seals/", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = bi_lazy("发文设置", "Office settings")
        verbose_name_plural = bi_lazy("发文设置", "Office settings")

    def __str__(self) -> str:
        return self.letterhead_zh

    @property
    def audit_region(self) -> Region | None:
        return self.programme.region
