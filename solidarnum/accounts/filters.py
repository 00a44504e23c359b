import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from solidarnum.common.autocomplete import AutocompleteFilter
from solidarnum.network.models import ReceptionPoint

from .enums import Role
from .models import Membership


class MembershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nom ou e-mail"), method="search")
    role = django_filters.ChoiceFilter(label=_("Rôle"), choices=Role.choices)
    reception_point = AutocompleteFilter(
        label=_("Point d'accueil"),
        queryset=ReceptionPoint.objects.all(),
        url_name="network:reception_point_suggestions",
        search_fields=("name", "commune", "postcode"),
    )
    is_active = django_filters.BooleanFilter(label=_("Actif"))

    class Meta:
        model = Membership
        fields = ["q", "role", "reception_point", "is_active"]

    def search(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        value = value.strip()
        return queryset.filter(
            Q(user__email__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(user__first_name__icontains=value)
        )
