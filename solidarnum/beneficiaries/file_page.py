"""The file page extension point: an app above beneficiaries adds a section to a person's file.

The file (staff only) is split into tabs, each its own page (`?onglet=<key>`): the person's own
file first ("Dossier", the default), then the tabs the apps fill. The app registers its section
into a tab from its `AppConfig.ready()`; a tab shows its sections in registration order, each
rendered by its template with `beneficiary` and `section` (what `context` returned). Only the
sections of the tab shown are computed. `context` must run a fixed number of queries, whatever
the file, and a tab stays within the page budget (twelve queries, the core of the page
included; ADR 0045).

    from solidarnum.beneficiaries import file_page
    file_page.add_section(file_page.Section(
        template_name="equipment/reservations/_file_section.html",
        context=lambda beneficiary: {"devices": devices_of_beneficiary(beneficiary.pk)},
        tab=file_page.EQUIPMENT,
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Beneficiary

TAB_PARAM = "onglet"


@dataclass(frozen=True)
class Tab:
    key: str  # the value of `?onglet=`, in French, stable: links and bookmarks carry it
    label: str | Promise
    order: int


# The file's tabs. The first is the person's own file (identity, access, needs, diagnostics,
# upcoming sessions, timeline, notes), drawn by beneficiaries itself.
FILE = "dossier"
SUPPORT = "accompagnement"
EQUIPMENT = "equipement"
MESSAGES = "messages"

_tabs: dict[str, Tab] = {}


def add_tab(tab: Tab) -> None:
    """Declare a tab once (a second declaration of the same key is ignored)."""
    _tabs.setdefault(tab.key, tab)


add_tab(Tab(FILE, _("Dossier"), 0))
add_tab(Tab(SUPPORT, _("Accompagnement"), 10))
add_tab(Tab(EQUIPMENT, _("Équipement et connexion"), 20))
add_tab(Tab(MESSAGES, _("Messages"), 30))


def tabs() -> list[Tab]:
    return sorted(_tabs.values(), key=lambda tab: (tab.order, tab.key))


def tab_of(value: str | None) -> Tab:
    """The tab an `?onglet=` value names; the file's own tab for anything else."""
    return _tabs.get(value or "", _tabs[FILE])


@dataclass(frozen=True)
class Section:
    template_name: str
    context: Callable[[Beneficiary], dict[str, Any]]
    tab: str = FILE


@dataclass(frozen=True)
class RenderedSection:
    template_name: str
    context: dict[str, Any]


_sections: list[Section] = []


def add_section(section: Section) -> None:
    """Register a section once (a second registration of the same template is ignored)."""
    if section.tab not in _tabs:
        raise ValueError(f"Unknown file tab: {section.tab!r}")
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


def sections_of(beneficiary: Beneficiary, tab: str | None = None) -> list[RenderedSection]:
    """The rendered sections of one tab (of every tab when `tab` is None): only those are
    computed."""
    return [
        RenderedSection(section.template_name, section.context(beneficiary))
        for section in _sections
        if tab is None or section.tab == tab
    ]


def url_of(beneficiary: Beneficiary, tab: str = FILE) -> str:
    """The address of one tab of the person's file (the file itself for its own tab)."""
    from django.urls import reverse

    path = reverse("beneficiaries:beneficiary_detail", args=[beneficiary.public_id])
    return path if tab == FILE else f"{path}?{TAB_PARAM}={tab}"
