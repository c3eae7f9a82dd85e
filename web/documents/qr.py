"""The town code (一码, 002 §二(四)1): a QR code that points at the town's public profile."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse


def profile_url(code: str) -> str:
    """The stable short address of a town's public profile: <XIAOZHEN_PUBLIC_URL>/t/<code>/."""
    return settings.XIAOZHEN_PUBLIC_URL.rstrip("/") + reverse("documents:profile", args=[code])


def town_qr(code: str) -> segno.QRCode:
    return segno.make(profile_url(code), error="m")


def qr_bytes(code: str, kind: str) -> bytes:
    """The town's QR code as ``svg``, ``png`` (for screens) or ``pdf`` (for printing on a plaque)."""
    out = io.BytesIO()
    qr = town_qr(code)
    if kind == "svg":
        qr.save(out, kind="svg", scale=8, border=4, title=f"小镇码 {code}")
    elif kind == "png":
        qr.save(out, kind="png", scale=10, border=4)
    elif kind == "pdf":
        qr.save(out, kind="pdf", scale=10, border=4)
    else:
        raise ValueError(kind)
    return out.getvalue()


def qr_data_uri(code: str) -> str:
    return town_qr(code).svg_data_uri(scale=4, border=2)
