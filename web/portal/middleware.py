"""Chinese first for everyone; English only when the user chose it."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but the browser's Accept-Language is not consulted.

    The language is the one chosen with the switch (Django's set_language view and its
    cookie), else LANGUAGE_CODE (zh-hans). Both languages are shown on every page anyway;
    this only decides which comes first (docs/adr/0002).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
