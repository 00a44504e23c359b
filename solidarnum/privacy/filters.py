from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .labels import kind_choices
from .links import object_ids_matching
from .models import AuditAction, AuditEvent


class AuditEventFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("object_id") and not data.get("object_type"):
            self.add_error(
                "object_id",
                _(
                    "Choisissez aussi le type d'objet : un même identifiant désigne des objets "
                    "différents selon leur type."
                ),
            )
        return data


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(label=_("Auteur (nom ou e-mail)"), method="filter_actor")
    object_type = django_filters.ChoiceFilter(label=_("Type d'objet"), choices=[])
    # Meaningful with its kind only: the form refuses it alone.
    object_id = django_filters.CharFilter(
        label=_("Objet (code, numéro de série…)"), method="filter_object"
    )
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
        form = AuditEventFilterForm
        fields = ["actor", "object_type", "object_id", "action", "since", "until"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.filters["object_type"].extra["choices"] = kind_choices()

    def filter_actor(
        self, queryset: QuerySet[AuditEvent], name: str, value: str
    ) -> QuerySet[AuditEvent]:
        from solidarnum.accounts.models import User

        value = value.strip()
        actors = User.objects.filter(
            Q(email__icontains=value)
            | Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
        ).values("pk")
        return queryset.filter(actor_id__in=actors)

    def filter_object(
        self, queryset: QuerySet[AuditEvent], name: str, value: str
    ) -> QuerySet[AuditEvent]:
        object_type = self.form.cleaned_data.get("object_type") or ""
        return queryset.filter(object_ids_matching(object_type, value))
