"""The town page's "documents and town code" section, and the navigation to the public documents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from towns.extensions import register_town_section
from towns.models import Town

from .certificates import certificates_of
from .qr import profile_url


@register_town_section(key="documents", template="documents/_town_section.html", order=90)
def town_documents(request: HttpRequest, town: Town) -> dict[str, Any] | None:
    certificates = [c for e in town.enrolments.all() for c in certificates_of(e)]
    return {"certificates": certificates, "profile_url": profile_url(town.code)}
