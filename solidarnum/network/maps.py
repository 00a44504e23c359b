"""A link to a place on the map site the owner configured (`SOLIDARNUM_MAP_URL`, ADR 0025): the
directory's cards and a person's appointment page. None without the setting or coordinates."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def map_url(place: Any) -> str:
    """The map site at the place's coordinates, or "" (the link loads nothing until followed)."""
    template: str = settings.DIRECTORY_MAP_URL
    if not template or place.latitude is None or place.longitude is None:
        return ""
    return template.format(lat=place.latitude, lon=place.longitude)
