"""What a person reads, in their language (ADR 0025).

Staff pages are French, whatever the browser says: a half-translated working screen helps no
one. Only the pages made for the people served follow their language: views marked
`@person_facing` (the public directory, the privacy notice, a person's appointment), views that
call `use_visitor_language` for a visitor (the public home page, the 404 page) and documents
rendered with `translation.override(...)` (the referral voucher, an appointment's .ics).

A visitor's language comes from `?lang=` (the switcher's links, or a link a social worker sends),
then the cookie that remembers that choice, then (on a page of one person's own, such as their
appointment) the first language of their file, then the browser's languages, then French.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

# The files whose messages people read: the only ones `makemessages` extracts into
# solidarnum/locale (common/management/commands/makemessages.py), and whose every message each
# catalogue must translate (tests/common/test_translations.py). Paths from the repository root.
TRANSLATED_SOURCES = (
    "solidarnum/templates/base.html",
    "solidarnum/templates/components/language_switcher.html",
    "solidarnum/templates/errors/404.html",
    "solidarnum/templates/errors/500.html",
    "solidarnum/templates/pages/privacy_notice.html",
    "solidarnum/accounts/templates/accounts/home_public.html",
    "solidarnum/network/opening_hours.py",
    "solidarnum/network/public/filters.py",
    "solidarnum/network/public/labels.py",
    "solidarnum/network/templates/network/public/directory.html",
    "solidarnum/referrals/voucher.py",
    "solidarnum/referrals/templates/referrals/voucher.html",
    "solidarnum/support/ics.py",
    "solidarnum/support/templates/support/public/appointment.html",
)

LANGUAGE_PARAM = "lang"
# Other codes meaning one of our languages: a referral's "fa" is "Persan (farsi, dari)", and a
# Dari reader's phone often says fa-AF. Written Dari and Iranian Persian are close enough.
ALIASES = {"fa": "prs"}
# The `lang` attribute of pages and documents: Dari is "prs" for Django and gettext, but screen
# readers, speech synthesis and browsers' fonts know it as Persian of Afghanistan.
HTML_LANGS = {"prs": "fa-AF"}
# Babel (CLDR) locales for dates: British English in France, Dari as CLDR names it.
BABEL_LOCALES = {"en": "en_GB", "prs": "fa_AF"}
_CODE_MAX_LENGTH = 35  # a language tag is short; anything longer is not one

ViewT = TypeVar("ViewT", bound=Callable[..., Any])
SameSite = Literal["Lax", "Strict", "None", False] | None


def available_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported_language(code: str | None) -> str | None:
    """Our language for a code ("ar", "ar-MA", "fa_AF", "EN"), or None when we have none."""
    if not code or len(code) > _CODE_MAX_LENGTH:
        return None
    code = code.strip().lower().replace("_", "-")
    available = available_languages()
    if code in available:
        return code
    base = code.split("-")[0]
    base = ALIASES.get(base, base)
    return base if base in available else None


def language_for_person(codes: Iterable[str] | None) -> str:
    """The language to print for someone who speaks `codes` (in the order recorded): the first
    one we have other than French, else French. Someone who also speaks French reads their
    other language more easily, or it would not have been noted; the reception point reads the
    code, names and addresses, which do not change."""
    default: str = settings.LANGUAGE_CODE
    for code in codes or []:
        language = supported_language(code)
        if language and language != default:
            return language
    return default


def visitor_language(request: HttpRequest, preferred: str | None = None) -> str:
    """The language a visitor asked for: `?lang=`, then the cookie, then `preferred` (the
    language of the person whose page it is: their own choice beats their browser's), then the
    browser's."""
    for candidate in (
        request.GET.get(LANGUAGE_PARAM),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
        preferred,
    ):
        language = supported_language(candidate)
        if language:
            return language
    accepted = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(accepted):
        language = supported_language(code)
        if language:
            return language
    return str(settings.LANGUAGE_CODE)


def use_visitor_language(request: HttpRequest, preferred: str | None = None) -> str:
    """Render the rest of this request in the visitor's language (see the middleware)."""
    language = visitor_language(request, preferred)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.visitor_language = language  # type: ignore[attr-defined]
    return language


def person_facing(view: ViewT) -> ViewT:
    """Mark a view whose page is read by the people served: it follows their language."""
    view.person_facing = True  # type: ignore[attr-defined]
    return view


def html_lang(language: str | None = None) -> str:
    """The `lang` attribute for a language of ours (the active one by default)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return HTML_LANGS.get(language, language)


def text_direction(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"


def babel_locale(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return BABEL_LOCALES.get(language, language)


class LanguageMiddleware:
    """French for every request; the visitor's language for person-facing views.

    In place of Django's LocaleMiddleware, which would follow the browser on every page. The
    language is reset after each response, so nothing of a visitor's choice leaks to the next
    request served by the same thread.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        try:
            response = self.get_response(request)
            language = getattr(request, "visitor_language", None)
            if language:
                self._remember(request, response, language)
        finally:
            translation.deactivate()
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> None:
        if getattr(view_func, "person_facing", False):
            use_visitor_language(request)

    @staticmethod
    def _remember(request: HttpRequest, response: HttpResponse, language: str) -> None:
        response.headers.setdefault("Content-Language", html_lang(language))
        # The same URL answers in several languages: caches must tell them apart.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if supported_language(request.GET.get(LANGUAGE_PARAM)) == language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
            )
