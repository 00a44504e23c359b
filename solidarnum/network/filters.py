from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .enums import Typology
from .models import DonorCompany, PartnerStructure, ReceptionPoint, RefurbishingPartner


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="search")
    search_fields: tuple[str, ...] = ("name", "commune", "postcode")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(q)


class ActiveFilterMixin(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(label=_("Actif"))


class ReceptionPointFilter(SearchFilterSet, ActiveFilterMixin):
    class Meta:
        model = ReceptionPoint
        fields = ["q", "is_active"]


class PartnerStructureFilter(SearchFilterSet, ActiveFilterMixin):
    typology = django_filters.ChoiceFilter(label=_("Typologie"), choices=Typology.choices)
    is_relay = django_filters.BooleanFilter(label=_("Relais numérique"))

    class Meta:
        model = PartnerStructure
        fields = ["q", "typology", "is_relay", "reception_point", "is_active"]


class DonorCompanyFilter(SearchFilterSet, ActiveFilterMixin):
    search_fields = ("name", "commune", "siret")

    class Meta:
        model = DonorCompany
        fields = ["q", "is_active"]


class RefurbishingPartnerFilter(DonorCompanyFilter):
    class Meta:
        model = RefurbishingPartner
        fields = ["q", "is_active"]
