"""Opening hours (OpenStreetMap syntax) told in plain French, for simple rules only."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)"
_DAYS = rf"{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*"
_SPAN = r"\d{2}:\d{2}-\d{2}:\d{2}"
_RULE_RE = re.compile(rf"^(?P<days>{_DAYS})\s+(?P<times>{_SPAN}(?:,{_SPAN})*|off|closed)$")


def _day_names() -> dict[str, str]:
    return {
        "Mo": _("lundi"),
        "Tu": _("mardi"),
        "We": _("mercredi"),
        "Th": _("jeudi"),
        "Fr": _("vendredi"),
        "Sa": _("samedi"),
        "Su": _("dimanche"),
        "PH": _("jours fériés"),
    }


def _clock(value: str) -> str:
    hours, minutes = value.split(":")
    return f"{int(hours)}h" + ("" if minutes == "00" else minutes)


def _days_text(days: str, names: dict[str, str]) -> str:
    parts = []
    for group in days.split(","):
        start, _sep, end = group.partition("-")
        if end:
            parts.append(_("du %(start)s au %(end)s") % {"start": names[start], "end": names[end]})
        elif start == "PH":
            parts.append(_("les jours fériés"))
        else:
            parts.append(_("le %(day)s") % {"day": names[start]})
    return ", ".join(parts)


def _times_text(times: str) -> str:
    if times in {"off", "closed"}:
        return _("fermé")
    spans = []
    for span in times.split(","):
        start, end = span.split("-")
        spans.append(_("de %(start)s à %(end)s") % {"start": _clock(start), "end": _clock(end)})
    return _(" et ").join(spans)


def describe_opening_hours(value: str) -> list[str]:
    """OpenStreetMap opening hours as French sentences, one per rule.

    Only simple rules ("Mo-Fr 09:00-12:00,14:00-18:00; Sa off") are described; anything else
    (holidays, weeks, comments) gives an empty list and the page shows the raw value only.
    """
    value = (value or "").strip()
    if not value:
        return []
    if value == "24/7":
        return [_("Tous les jours, 24 heures sur 24")]
    names = _day_names()
    lines = []
    for rule in value.split(";"):
        match = _RULE_RE.match(rule.strip())
        if match is None:
            return []
        days = _days_text(match["days"], names)
        lines.append(f"{days[:1].upper()}{days[1:]} : {_times_text(match['times'])}")
    return lines
