"""Plain names for the codes stored on a person (languages, publics), one mapping for every page.

Referrals and files store codes ("fr", "newcomer"); people read names ("Français", "Primo-arrivant
ou primo-arrivante"). Every page, e-mail and PDF that shows them goes through this module.
"""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import Public

# The short list offered by the web form: the languages most spoken by the people referred.
# Its labels are ours (gettext msgids); any other ISO 639 code (the API accepts them all) is
# named by Babel from the Unicode CLDR data, so a code is never shown raw.
LANGUAGE_CHOICES = [
    ("fr", _("Français")),
    ("en", _("Anglais")),
    ("ar", _("Arabe")),
    ("es", _("Espagnol")),
    ("pt", _("Portugais")),
    ("ru", _("Russe")),
    ("uk", _("Ukrainien")),
    ("fa", _("Persan (farsi, dari)")),
    ("ps", _("Pachto")),
    ("ta", _("Tamoul")),
    ("tr", _("Turc")),
    ("ro", _("Roumain")),
    ("zh", _("Chinois")),
    ("other", _("Autre langue")),
]
_OUR_LABELS = dict(LANGUAGE_CHOICES)


@lru_cache(maxsize=8)
def _cldr_names(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language.replace("-", "_")).languages)
    except (UnknownLocaleError, ValueError):
        return dict(Locale.parse("fr").languages)


def language_name(code: str) -> str:
    if code in _OUR_LABELS:
        return str(_OUR_LABELS[code])
    name = _cldr_names(get_language() or "fr").get(code)
    if not name:
        return code
    return name[:1].upper() + name[1:]


def language_names(codes: list[str] | None) -> list[str]:
    return [language_name(code) for code in codes or []]


def public_labels(codes: list[str] | None) -> list[str]:
    labels = dict(Public.choices)
    return [str(labels.get(code, code)) for code in codes or []]
