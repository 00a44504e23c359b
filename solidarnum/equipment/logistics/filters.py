"""Filters of the transfer list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from solidarnum.accounts.scope import scope_of
from solidarnum.equipment.enums import TransferStatus
from solidarnum.equipment.models import Transfer

INCOMING = "incoming"
OUTGOING = "outgoing"


class TransferFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Statut"),
        choices=TransferStatus.choices,
        empty_label=gettext_lazy("Tous les statuts"),
    )
    direction = django_filters.ChoiceFilter(
        label=gettext_lazy("Sens"),
        choices=[
            (INCOMING, gettext_lazy("Vers mon point d'accueil")),
            (OUTGOING, gettext_lazy("Depuis mon point d'accueil")),
        ],
        empty_label=gettext_lazy("Entrants et sortants"),
        method="filter_direction",
    )

    class Meta:
        model = Transfer
        fields = ["status", "direction"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site_id = scope_of(self.request).reception_point_id if self.request else None
        if self.site_id is None:
            # Only a site has two directions: a workshop only sends, the national team sees all.
            del self.filters["direction"]

    def filter_direction(
        self, queryset: QuerySet[Transfer], name: str, value: str
    ) -> QuerySet[Transfer]:
        if value == INCOMING:
            return queryset.filter(to_point_id=self.site_id)
        if value == OUTGOING:
            return queryset.filter(Q(from_point_id=self.site_id))
        return queryset
