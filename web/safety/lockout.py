"""What a locked-out sign-in sees (django-axes' ``AXES_LOCKOUT_CALLABLE``): a bilingual page,
status 429, saying how long to wait and whom to ask — never a bare "Account locked"."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
                credentials: dict[str, Any] | None = None) -> HttpResponse:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    limit = settings.AXES_FAILURE_LIMIT
    context = {
        "why_zh": f"该账号在本地址连续 {limit} 次密码错误，已暂停登录 {minutes} 分钟。",
        "why_en": f"{limit} wrong passwords in a row for this account from this address: "
                  f"sign-in is paused for {minutes} minutes.",
        "next_zh": f"请 {minutes} 分钟后再试；如忘记密码，请联系本单位的系统管理员重置。",
        "next_en": f"Try again in {minutes} minutes; if you have forgotten the password, "
                   "ask your organisation's administrator to reset it.",
    }
    response = render(request, "safety/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
