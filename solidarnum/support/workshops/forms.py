"""Forms of the workshop pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.support.enums import AgeBand, Gender, Theme


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=120)
    theme = forms.ChoiceField(label=_("Thème"), choices=Theme.choices)
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    start = forms.TimeField(label=_("Début"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Fin"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=200, initial=8)
    room = forms.CharField(label=_("Salle"), max_length=80, required=False)
    is_outside = forms.BooleanField(label=_("Hors les murs"), required=False)
    address = forms.CharField(label=_("Adresse (hors les murs)"), max_length=255, required=False)

    def __init__(self, *args: Any, team: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["animators"] = forms.TypedMultipleChoiceField(
            label=_("Animé par"),
            choices=team,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choisissez qui anime l'atelier.")},
        )

    def moments(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        starts_at = datetime.combine(day, self.cleaned_data["start"], tzinfo=zone)
        ends_at = datetime.combine(day, self.cleaned_data["end"], tzinfo=zone)
        return starts_at, ends_at if ends_at > starts_at else starts_at - timedelta(minutes=1)


class RegisterForm(forms.Form):
    beneficiary = AutocompleteField(
        label=_("Personne"),
        queryset=Beneficiary.objects.none(),
        url_name="support:person_suggestions",
        search_fields=("last_name", "first_name"),
        error_messages={
            "required": _("Choisissez la personne à inscrire."),
            "invalid_choice": _(
                "Cette personne n'a pas de dossier ici : choisissez-la dans la liste."
            ),
        },
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = people  # type: ignore[attr-defined]


class AnonymousForm(forms.Form):
    """One anonymous participant of a workshop: age band, gender, commune only."""

    age_band = forms.ChoiceField(label=_("Tranche d'âge"), choices=AgeBand.choices)
    gender = forms.ChoiceField(label=_("Genre"), choices=Gender.choices)
    commune = forms.CharField(label=_("Commune"), max_length=80, required=False)


AnonymousFormSet = forms.formset_factory(AnonymousForm, extra=3, max_num=60)
