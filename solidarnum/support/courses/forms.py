"""Forms of the course pages: a cohort, an enrolment; the catalogue's template, module, half-day."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.network.models import PartnerStructure
from solidarnum.support.enums import CourseKind
from solidarnum.support.models import CourseTemplate


class CohortForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Parcours"), queryset=CourseTemplate.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("Nom du groupe"), max_length=120)
    starts_on = forms.DateField(
        label=_("Premier jour"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100, initial=10)
    room = forms.CharField(label=_("Salle"), max_length=80, required=False)
    partner_structure = AutocompleteField(
        label=_("Structure partenaire (facultatif)"),
        queryset=PartnerStructure.objects.none(),
        url_name="support:structure_suggestions",
        search_fields=("name", "commune"),
        required=False,
    )
    funder_programme = forms.CharField(
        label=_("Programme financeur (facultatif)"), max_length=120, required=False
    )

    def __init__(
        self,
        *args: Any,
        templates: Any,
        structures: Any,
        team: list[tuple[int, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
        self.fields["partner_structure"].queryset = structures  # type: ignore[attr-defined]
        self.fields["animators"] = forms.TypedMultipleChoiceField(
            label=_("Animé par"),
            choices=team,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choisissez qui anime le groupe.")},
        )


class EnrolForm(forms.Form):
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


# --- The catalogue: plain forms, the rules are the services' (ADR 0042) -------------------------


class CourseTemplateForm(forms.Form):
    name = forms.CharField(label=_("Nom du parcours"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=CourseKind.choices)
    description = forms.CharField(
        label=_("Description (facultatif)"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attendance_threshold = forms.IntegerField(
        label=_("Assiduité requise pour l'attestation (%)"),
        initial=80,
        error_messages={"invalid": _("Le seuil d'assiduité est un nombre entier.")},
    )
    is_active = forms.BooleanField(
        label=_("Actif : les points d'accueil peuvent ouvrir des groupes"),
        required=False,
        help_text=_("Un parcours s'active une fois ses séances ajoutées."),
    )


class CourseModuleForm(forms.Form):
    title = forms.CharField(label=_("Titre du module"), max_length=120)


class TemplateSessionForm(forms.Form):
    title = forms.CharField(label=_("Titre de la séance"), max_length=120)
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        initial=180,
        help_text=_("Une demi-journée : de 15 minutes à 5 heures (300 minutes)."),
        error_messages={"invalid": _("La durée est un nombre de minutes.")},
    )
