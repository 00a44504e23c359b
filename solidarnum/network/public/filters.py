"""The directory's filters: a commune and a service, both chosen from lists (ADR 0025).

Lists, not free text: nothing to misspell, no accent to get right, and a value that is not in
the list is refused with a plain message instead of reaching the database.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from solidarnum.network import opendata
from solidarnum.network.models import PartnerStructure

from .labels import SERVICE_LABELS, SERVICE_SLUGS


class PlaceFilter(django_filters.FilterSet):
    """Applied to the open reception points, then (`filter_queryset`) to the open relays."""

    commune = django_filters.ChoiceFilter(
        # Translators: label of the list of towns in the directory's search form.
        label=_("Commune"),
        # Translators: first choice of the list of towns: no town chosen.
        empty_label=_("Toutes les communes"),
        method="in_commune",
        # Translators: the town in the address is not one of the list (a changed or old link).
        error_messages={"invalid_choice": _("Choisissez une commune dans la liste.")},
    )
    service = django_filters.ChoiceFilter(
        # Translators: label of the list of services in the directory's search form.
        label=_("Service"),
        # Translators: first choice of the list of services: no service chosen.
        empty_label=_("Tous les services"),
        method="offering",
        # Translators: the service in the address is not one of the list.
        error_messages={"invalid_choice": _("Choisissez un service dans la liste.")},
    )

    def __init__(
        self,
        data: Any,
        *,
        queryset: QuerySet[Any],
        communes: list[str],
        services_by_point: dict[int, list[str]],
    ) -> None:
        super().__init__(data, queryset=queryset)
        self.services_by_point = services_by_point
        offered = {code for codes in services_by_point.values() for code in codes}
        offered.update(opendata.RELAY_SERVICES)
        self.filters["commune"].extra["choices"] = [(commune, commune) for commune in communes]
        self.filters["service"].extra["choices"] = [
            (slug, SERVICE_LABELS[service])
            for slug, service in SERVICE_SLUGS.items()
            if service.value in offered
        ]

    def in_commune(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(commune=value)

    def offering(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        code = SERVICE_SLUGS[value].value
        if queryset.model is PartnerStructure:  # relays sell solidarity top-ups, nothing else
            return queryset if code in opendata.RELAY_SERVICES else queryset.none()
        return queryset.filter(
            pk__in=[pk for pk, codes in self.services_by_point.items() if code in codes]
        )
