"""The activity record form: prefilled from the session, made to be filled in under a minute."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.support.enums import (
    PRESET_DURATIONS,
    AdministrativeTheme,
    Autonomy,
    Material,
    Redirection,
    Theme,
)

from .services import Details


def _duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


class RecordForm(forms.Form):
    on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Durée"),
        coerce=int,
        choices=[(m, _duration_label(m)) for m in (*PRESET_DURATIONS, 180, 240)],
    )
    themes = forms.MultipleChoiceField(
        label=_("Thèmes"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un thème.")},
    )
    administrative_themes = forms.MultipleChoiceField(
        label=_("Démarches (avec « Aide aux démarches administratives »)"),
        choices=AdministrativeTheme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    autonomy = forms.ChoiceField(
        label=_("À la fin, la personne était"),
        choices=Autonomy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites l'autonomie de la personne à la fin de la séance.")},
    )
    material = forms.MultipleChoiceField(
        label=_("Matériel utilisé"),
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    redirection = forms.ChoiceField(
        label=_("Orientée vers (facultatif)"),
        choices=[("", "—"), *Redirection.choices],
        required=False,
    )
    redirected_to_point = AutocompleteField(
        label=_("Lieu du réseau (facultatif)"),
        queryset=ReceptionPoint.objects.none(),
        url_name="support:place_suggestions",
        search_fields=("name", "commune", "postcode"),
        required=False,
    )
    redirected_to_structure = AutocompleteField(
        label=_("Structure partenaire (facultatif)"),
        queryset=PartnerStructure.objects.none(),
        url_name="support:structure_suggestions",
        search_fields=("name", "commune"),
        required=False,
    )
    redirected_to_other = forms.CharField(
        label=_("Autre lieu : médiathèque, EPN… (facultatif)"), max_length=160, required=False
    )
    note = forms.CharField(
        label=_("Note courte (facultatif)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, places: Any, structures: Any, collective: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["redirected_to_point"].queryset = places  # type: ignore[attr-defined]
        self.fields["redirected_to_structure"].queryset = structures  # type: ignore[attr-defined]
        if collective:
            del self.fields["autonomy"]

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            on=data["on"],
            duration_minutes=data["duration_minutes"],
            themes=data["themes"],
            administrative_themes=data["administrative_themes"],
            autonomy=data.get("autonomy", ""),
            material=data["material"],
            redirection=data["redirection"],
            redirected_to_point=data["redirected_to_point"],
            redirected_to_structure=data["redirected_to_structure"],
            redirected_to_other=data["redirected_to_other"],
            note=data["note"],
        )
