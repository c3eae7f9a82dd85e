"""The form of the API tokens page: a name and how long the token lasts."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from portal.bilingual import bi_lazy

LIFETIMES = [
    ("30", bi_lazy("30 天", "30 days")),
    ("90", bi_lazy("90 天", "90 days")),
    ("365", bi_lazy("一年", "one year")),
    ("never", bi_lazy("不过期(需手动吊销)", "never (revoke it by hand)")),
]


class CreateTokenForm(forms.Form):
    name = forms.CharField(
        label=bi_lazy("令牌名称", "Token name"), max_length=100,
        help_text=bi_lazy("用途，如“南宁市平台”", "what it is for, e.g. “Nanning city platform”"),
    )
    lifetime = forms.ChoiceField(label=bi_lazy("有效期", "Valid for"), choices=LIFETIMES, initial="365")

    def expires_at(self) -> dt.datetime | None:
        lifetime = self.cleaned_data["lifetime"]
        return None if lifetime == "never" else timezone.now() + dt.timedelta(days=int(lifetime))
