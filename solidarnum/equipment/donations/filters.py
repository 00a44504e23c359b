"""Filters of the donation list."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.accounts.scope import scope_of
from solidarnum.common.autocomplete import AutocompleteFilter
from solidarnum.equipment.enums import DonationSource
from solidarnum.equipment.models import Donation
from solidarnum.network.models import DonorCompany


class DonationFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        label=_("Année"), method="filter_year", empty_label=_("Toutes les années")
    )
    source = django_filters.ChoiceFilter(
        label=_("Origine"), choices=DonationSource.choices, empty_label=_("Toutes les origines")
    )
    donor = AutocompleteFilter(
        label=_("Entreprise donatrice"),
        queryset=DonorCompany.objects.order_by("name"),
        url_name="network:donor_suggestions",
        search_fields=("name", "siret"),
    )

    class Meta:
        model = Donation
        fields = ["year", "source", "donor"]

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        this_year = timezone.localdate().year
        self.filters["year"].extra["choices"] = [
            (str(year), str(year)) for year in range(this_year + 1, this_year - 15, -1)
        ]
        # Only the national team works across donor companies.
        if request is None or not scope_of(request).is_national_admin:
            del self.filters["donor"]

    def filter_year(
        self, queryset: QuerySet[Donation], name: str, value: str
    ) -> QuerySet[Donation]:
        year = int(value)
        return queryset.filter(
            donated_on__gte=date(year, 1, 1), donated_on__lt=date(year + 1, 1, 1)
        )
