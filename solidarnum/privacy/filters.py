import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(label=_("Auteur (nom ou e-mail)"), method="filter_actor")
    object_type = django_filters.ChoiceFilter(label=_("Type d'objet"), choices=[])
    object_id = django_filters.CharFilter(label=_("Identifiant de l'objet"))
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditAction.choices)
    since = django_filters.DateFilter(
        label=_("Depuis le"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Jusqu'au"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "object_type", "object_id", "action", "since", "until"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from .labels import OBJECT_TYPE_LABELS

        self.filters["object_type"].extra["choices"] = sorted(
            OBJECT_TYPE_LABELS.items(), key=lambda item: str(item[1])
        )

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from solidarnum.accounts.models import User

        value = value.strip()
        actors = User.objects.filter(
            Q(email__icontains=value)
            | Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
        ).values("pk")
        return queryset.filter(actor_id__in=actors)
