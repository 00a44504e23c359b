"""The partner structure page extension point: an app above network adds a section to the page
of a structure (what the structure received from it, for instance).

The app registers its section from its `AppConfig.ready()`; the page shows the sections in
registration order, each rendered by its template with `structure` and `section` (what
`context(structure, scope)` returned, scoped to the reader). `context` must run a fixed number
of queries and return `{}` when the reader may see nothing of it (then nothing is shown).

    from solidarnum.network import partner_page
    partner_page.add_section(partner_page.Section(
        template_name="connectivity/packs/_partner_section.html",
        context=lambda structure, scope: {...},
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from solidarnum.accounts.scope import Scope

from .models import PartnerStructure


@dataclass(frozen=True)
class Section:
    template_name: str
    context: Callable[[PartnerStructure, Scope], dict[str, Any]]


@dataclass(frozen=True)
class RenderedSection:
    template_name: str
    context: dict[str, Any]


_sections: list[Section] = []


def add_section(section: Section) -> None:
    """Register a section once (a second registration of the same template is ignored)."""
    if all(known.template_name != section.template_name for known in _sections):
        _sections.append(section)


def sections_of(structure: PartnerStructure, scope: Scope) -> list[RenderedSection]:
    rendered = []
    for section in _sections:
        context = section.context(structure, scope)
        if context:
            rendered.append(RenderedSection(section.template_name, context))
    return rendered
