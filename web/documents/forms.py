from __future__ import annotations

from django import forms

from portal.bilingual import bi_lazy


class OfficeProfileForm(forms.Form):
    letterhead_zh = forms.CharField(label=bi_lazy("红头(发文机关标志)", "Letterhead"), max_length=100)
    number_prefix = forms.CharField(label=bi_lazy("发文机关代字", "Document-number prefix"), max_length=20)
    issuer_zh = forms.CharField(label=bi_lazy("落款机关", "Issuing office"), max_length=100)
    issuer_en = forms.CharField(label=bi_lazy("落款机关(英文)", "Issuing office (English)"), max_length=200,
                                required=False)
    seal = forms.FileField(label=bi_lazy("印章图片(PNG，≤512 KB)", "Seal image (PNG, ≤ 512 KB)"), required=False)
    reason = forms.CharField(label=bi_lazy("说明", "Reason"), max_length=500, required=False)
