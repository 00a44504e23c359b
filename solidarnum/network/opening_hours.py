"""Opening hours (OpenStreetMap syntax) told in words, for simple rules only.

In the active language: the public directory and the voucher are read by people in theirs
(ADR 0025), the staff pages in French.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)"
_DAYS = rf"{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*"
_SPAN = r"\d{2}:\d{2}-\d{2}:\d{2}"
_RULE_RE = re.compile(rf"^(?P<days>{_DAYS})\s+(?P<times>{_SPAN}(?:,{_SPAN})*|off|closed)$")


def _day_names() -> dict[str, str]:
    return {
        # Translators: a day, inside a sentence of opening hours ("du lundi au vendredi").
        "Mo": _("lundi"),
        # Translators: a day, inside a sentence of opening hours.
        "Tu": _("mardi"),
        # Translators: a day, inside a sentence of opening hours.
        "We": _("mercredi"),
        # Translators: a day, inside a sentence of opening hours.
        "Th": _("jeudi"),
        # Translators: a day, inside a sentence of opening hours.
        "Fr": _("vendredi"),
        # Translators: a day, inside a sentence of opening hours.
        "Sa": _("samedi"),
        # Translators: a day, inside a sentence of opening hours.
        "Su": _("dimanche"),
        # Translators: public holidays, inside a sentence of opening hours.
        "PH": _("jours fériés"),
    }


def _clock(value: str) -> str:
    hours, minutes = value.split(":")
    if minutes == "00":
        # Translators: a time on the hour, e.g. "14h" in French, "14:00" in English.
        return _("%(hour)sh") % {"hour": int(hours)}
    # Translators: a time, e.g. "9h30" in French, "9:30" in English.
    return _("%(hour)sh%(minute)s") % {"hour": int(hours), "minute": minutes}


def _days_text(days: str, names: dict[str, str]) -> str:
    parts = []
    for group in days.split(","):
        start, _sep, end = group.partition("-")
        if end:
            # Translators: a range of days, e.g. "du lundi au vendredi" (Monday to Friday).
            parts.append(_("du %(start)s au %(end)s") % {"start": names[start], "end": names[end]})
        elif start == "PH":
            # Translators: opening hours on public holidays ("les jours fériés : fermé").
            parts.append(_("les jours fériés"))
        else:
            # Translators: one day of the week in opening hours, e.g. "le samedi" (on Saturdays).
            parts.append(_("le %(day)s") % {"day": names[start]})
    # Translators: what separates days in a list ("le lundi, le mercredi"): a comma and a space.
    return pgettext("list separator", ", ").join(parts)


def _times_text(times: str) -> str:
    if times in {"off", "closed"}:
        # Translators: the place is closed on these days.
        return _("fermé")
    spans = []
    for span in times.split(","):
        start, end = span.split("-")
        # Translators: opening times, e.g. "de 9h30 à 12h30" (from 9:30 to 12:30).
        spans.append(_("de %(start)s à %(end)s") % {"start": _clock(start), "end": _clock(end)})
    # Translators: joins two opening times ("de 9h à 12h et de 14h à 18h"): spaces around "and".
    return _(" et ").join(spans)


def describe_opening_hours(value: str) -> list[str]:
    """OpenStreetMap opening hours as sentences in the active language, one per rule.

    Only simple rules ("Mo-Fr 09:00-12:00,14:00-18:00; Sa off") are described; anything else
    (holidays, weeks, comments) gives an empty list and the page says to call the place.
    """
    value = (value or "").strip()
    if not value:
        return []
    if value == "24/7":
        # Translators: opening hours of a place that never closes.
        return [_("Tous les jours, 24 heures sur 24")]
    names = _day_names()
    lines = []
    for rule in value.split(";"):
        match = _RULE_RE.match(rule.strip())
        if match is None:
            return []
        days = _days_text(match["days"], names)
        # Translators: one line of opening hours, the days then the times: "Le samedi : de 9h à
        # 12h". French puts a space before the colon; most languages do not.
        line = _("%(days)s : %(times)s")
        lines.append(
            line % {"days": f"{days[:1].upper()}{days[1:]}", "times": _times_text(match["times"])}
        )
    return lines
