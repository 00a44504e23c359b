"""Plain names for the codes stored on a person (languages, publics, needs), one mapping for
every page.

Referrals and files store codes ("fr", "newcomer"); people read names ("Français", "Primo-arrivant
ou primo-arrivante"). Every page, e-mail and PDF that shows them goes through this module.
"""

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import Need, Public

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


def ordered_needs(record: Any, order: Iterable[str] | None = None) -> list[Need]:
    """The needs ticked on a referral or a file (`needs_equip`...), in the order the référent
    gave (`needs_priority`, or `order`), then the others in the usual order."""
    given = record.needs_priority if order is None else order
    rank = {code: index for index, code in enumerate(dict.fromkeys(given or []))}
    ticked = [need for need in Need if getattr(record, f"needs_{need.value}", False)]
    return sorted(ticked, key=lambda need: rank.get(need.value, len(rank)))


def needs_priority(record: Any, *orders: Iterable[str]) -> list[str]:
    """The order to store: each ticked need once, as `ordered_needs` gives them. With several
    `orders` (a new referral's, then the file's previous one), each later order only places the
    needs the earlier ones leave out. Without, the record's own `needs_priority`."""
    combined: list[str] = []
    for order in orders or (record.needs_priority,):
        combined += [code for code in order or [] if code not in combined]
    return [need.value for need in ordered_needs(record, combined)]


def need_labels(record: Any) -> list[str]:
    return [str(need.label) for need in ordered_needs(record)]
