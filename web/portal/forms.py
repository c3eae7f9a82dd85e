"""The sign-in form, with bilingual labels and messages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .bilingual import bi_lazy


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=bi_lazy("用户名", "Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=bi_lazy("密码", "Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": bi_lazy(
            "用户名或密码不正确(注意区分大小写)。",
            "The username or password is not correct (both are case-sensitive).",
        ),
        "inactive": bi_lazy("此账号已停用。", "This account is inactive."),
    }
