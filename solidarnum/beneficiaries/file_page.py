"""The file page extension point: an app above beneficiaries adds a section to a person's file.

The app registers its section from its `AppConfig.ready()`; the file page (staff only) shows the
sections in registration order, each rendered by its template with `beneficiary` and `section`
(what `context` returned). `context` must run a fixed number of queries, whatever the file.

    from solidarnum.beneficiaries import file_page
    file_page.add_section(file_page.Section(
        template_name="equipment/reservations/_file_section.html",
        context=lambda beneficiary: {"devices": devices_of_beneficiary(beneficiary.pk)},
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Beneficiary


@dataclass(frozen=True)
class Section:
    template_name: str
    context: Callable[[Beneficiary], dict[str, Any]]


@dataclass(frozen=True)
class RenderedSection:
    template_name: str
    context: dict[str, Any]


_sections: list[Section] = []


def add_section(section: Section) -> None:
    """Register a section once (a second registration of the same template is ignored)."""
    if all(known.template_name != section.template_name for known in _sections):
        _sections.append(section)


# What the "Prochaines séances" part of the file lists, for staff and volunteers alike (the
# support app fills it): each provider gives the person's upcoming sessions, each with a
# `starts_at` and a French `__str__`, in a fixed number of queries.
UpcomingProvider = Callable[[Beneficiary], list[Any]]

_upcoming: list[UpcomingProvider] = []


def add_upcoming(provider: UpcomingProvider) -> None:
    if provider not in _upcoming:
        _upcoming.append(provider)


def upcoming_of(beneficiary: Beneficiary) -> list[Any]:
    """The person's upcoming sessions from every provider, soonest first."""
    found = [item for provider in _upcoming for item in provider(beneficiary)]
    return sorted(found, key=lambda item: item.starts_at)


def sections_of(beneficiary: Beneficiary) -> list[RenderedSection]:
    return [
        RenderedSection(section.template_name, section.context(beneficiary))
        for section in _sections
    ]
