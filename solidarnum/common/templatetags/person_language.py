"""Template helpers for the pages and documents a person reads in their language (ADR 0025).

{% html_lang %} and {% text_direction %} give the `lang` and `dir` of the active language;
`value|long_date` writes a date as that language does ("30 mars 2026", "30 March 2026"),
`value|full_date` with its weekday ("lundi 30 mars 2026"), `value|short_time` an hour ("14:00");
{% language_choices as choices %} lists the switcher's links.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date, format_time
from django import template
from django.utils import timezone, translation

from solidarnum.common import language

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    return language.html_lang()


@register.simple_tag
def text_direction() -> str:
    return language.text_direction()


@register.filter
def long_date(value: datetime.date | datetime.datetime | str | None) -> str:
    """A date in words, in the active language, digits as in French (0-9): the phone numbers,
    postcodes and codes around it are written that way too. Nothing for what is no date."""
    if not isinstance(value, datetime.date):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return format_date(value, format="long", locale=language.babel_locale())


@register.filter
def full_date(value: datetime.date | datetime.datetime | str | None) -> str:
    """A date in words with its weekday, in the active language ("mardi 8 décembre 2026")."""
    if not isinstance(value, datetime.date):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return format_date(value, format="full", locale=language.babel_locale())


@register.filter
def short_time(value: datetime.datetime | str | None) -> str:
    """The local hour of a moment, as the active language writes it ("14:00", "2:00 م")."""
    if not isinstance(value, datetime.datetime):
        return ""
    return format_time(timezone.localtime(value), format="short", locale=language.babel_locale())


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in the language itself
    lang: str
    dir: str
    url: str
    is_current: bool


@register.simple_tag(takes_context=True)
def language_choices(context: dict[str, Any]) -> list[LanguageChoice]:
    """One link per language: the same page, its filters kept, with `?lang=`."""
    request = context["request"]
    current = translation.get_language()
    choices = []
    for code in language.available_languages():
        query = request.GET.copy()
        query[language.LANGUAGE_PARAM] = code
        name = str(translation.get_language_info(code)["name_local"])
        choices.append(
            LanguageChoice(
                code=code,
                name=name[:1].upper() + name[1:],
                lang=language.html_lang(code),
                dir=language.text_direction(code),
                url=f"?{query.urlencode()}",
                is_current=code == current,
            )
        )
    return choices
