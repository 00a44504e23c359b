"""Filters of the device search. Each one is served by an index of `Device.Meta.indexes`
(or a unique column), so the search stays fast on a large stock."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.common.autocomplete import AutocompleteFilter
from solidarnum.equipment.enums import DeviceKind, Grade, Status
from solidarnum.equipment.models import Device, Donation
from solidarnum.equipment.validators import normalize_serial
from solidarnum.network.models import ReceptionPoint

ON_SITE = "site"
IN_TRANSIT = "transit"
WORKSHOP = "workshop"
PLACE_CHOICES = [
    (ON_SITE, _("Au point d'accueil")),
    (IN_TRANSIT, _("En transit")),
    (WORKSHOP, _("À l'atelier")),
]


def exact_condition(value: str) -> Q | None:
    """Serial number or IMEI, as scanned or typed (spaces, dashes and case ignored)."""
    code = normalize_serial(value)
    return Q(serial_number=code) | Q(imei=code) if code else None


def label_condition(value: str) -> Q | None:
    """Every word in the brand or the model (not indexed: tried only when no code matches)."""
    words = value.split()[:5]
    if not words:
        return None
    condition = Q()
    for word in words:
        condition &= Q(brand__icontains=word) | Q(model_name__icontains=word)
    return condition


class DeviceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("N° de série, IMEI, marque ou modèle"),
        method="filter_search",
        max_length=120,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=Status.choices, empty_label=_("Tous les statuts")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=DeviceKind.choices, empty_label=_("Tous les types")
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, empty_label=_("Tous les grades")
    )
    place = django_filters.ChoiceFilter(
        label=_("Où"), choices=PLACE_CHOICES, empty_label=_("Partout"), method="filter_place"
    )
    reception_point = AutocompleteFilter(
        label=_("Point d'accueil"),
        queryset=ReceptionPoint.objects.order_by("name"),
        url_name="network:reception_point_suggestions",
        search_fields=("name", "commune", "postcode"),
    )
    donation = django_filters.CharFilter(
        label=_("Référence du don"),
        method="filter_donation",
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "DON-2026-00042"}),
    )

    class Meta:
        model = Device
        fields = ["q", "status", "kind", "grade", "place", "reception_point", "donation"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        request = kwargs.get("request")
        scope: Scope | None = scope_of(request) if request is not None else None
        # Only the national team looks across reception points.
        if scope is None or not scope.is_national_admin:
            del self.filters["reception_point"]

    def filter_search(self, queryset: QuerySet[Device], name: str, value: str) -> QuerySet[Device]:
        # An exact code first, on its unique indexes; ORed with the brand and model words it
        # would turn into a scan of the whole table.
        exact = exact_condition(value)
        if exact is not None:
            found = queryset.filter(exact)
            if found.exists():
                return found
        by_label = label_condition(value)
        return queryset.none() if by_label is None else queryset.filter(by_label)

    def filter_place(self, queryset: QuerySet[Device], name: str, value: str) -> QuerySet[Device]:
        if value == ON_SITE:
            return queryset.filter(reception_point__isnull=False)
        if value == IN_TRANSIT:
            return queryset.filter(transfer__isnull=False)
        if value == WORKSHOP:
            return queryset.filter(reception_point__isnull=True, transfer__isnull=True)
        return queryset

    def filter_donation(
        self, queryset: QuerySet[Device], name: str, value: str
    ) -> QuerySet[Device]:
        reference = value.strip().upper()
        if not reference:
            return queryset
        # The donation's id first, so the (donation, status) index serves the device filter.
        donation_id = (
            Donation.objects.filter(reference=reference).values_list("pk", flat=True).first()
        )
        return queryset.none() if donation_id is None else queryset.filter(donation_id=donation_id)
