"""Language choice: Chinese unless the user picked English with the 中文 / English switch.

Django's LocaleMiddleware would also follow the browser's Accept-Language; court PCs are shared and their
browsers set to anything, and the platform's rule is "Chinese by default, English after the switch". So the
language comes only from the cookie the switch (django.views.i18n.set_language) writes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SwitchLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
