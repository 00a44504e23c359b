"""The forms of the volunteers' pages. They validate shapes; services decide and refuse."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from solidarnum.beneficiaries.labels import LANGUAGE_CHOICES
from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.network.models import PartnerStructure, ReceptionPoint

from .enums import CandidateStatus, ContactChannel, HoursCategory, Skill, Weekday

VOLUNTEER_SKILLS = [(s.value, s.label) for s in Skill if s != Skill.REFURBISHING]
SPOKEN = [(code, label) for code, label in LANGUAGE_CHOICES if code != "other"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ProfileForm(forms.Form):
    phone = PhoneNumberField(label=_("Téléphone"), required=False)
    contact_channel = forms.ChoiceField(
        label=_("Recevoir les messages du point d'accueil par"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
    )
    skills = forms.MultipleChoiceField(
        label=_("Ce que vous aimez faire"),
        choices=VOLUNTEER_SKILLS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("La compétence reconditionnement est donnée par le responsable du lieu."),
    )
    languages_spoken = forms.MultipleChoiceField(
        label=_("Langues parlées"),
        choices=SPOKEN,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages_read = forms.MultipleChoiceField(
        label=_("Langues lues"), choices=SPOKEN, required=False, widget=forms.CheckboxSelectMultiple
    )
    started_on = forms.DateField(label=_("Bénévole depuis le"), required=False, widget=DateInput())
    charter_signed_on = forms.DateField(
        label=_("Charte du bénévole signée le"), required=False, widget=DateInput()
    )
    charter_version = forms.CharField(
        label=_("Version de la charte"), max_length=20, required=False
    )
    emergency_contact_name = forms.CharField(
        label=_("Personne à prévenir en cas d'urgence (facultatif)"),
        max_length=150,
        required=False,
    )
    emergency_contact_phone = PhoneNumberField(label=_("Son téléphone"), required=False)


class SlotForm(forms.Form):
    reception_point = forms.ModelChoiceField(
        label=_("Point d'accueil"), queryset=ReceptionPoint.objects.none(), empty_label=None
    )
    weekday = forms.TypedChoiceField(label=_("Jour"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("De"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("À"), widget=TimeInput())

    def __init__(self, *args: Any, sites: list[ReceptionPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reception_point"]
        field.queryset = ReceptionPoint.objects.filter(pk__in=[s.pk for s in sites])  # type: ignore[attr-defined]
        if len(sites) == 1:
            field.initial = sites[0].pk


class AbsenceForm(forms.Form):
    starts_on = forms.DateField(label=_("Absent·e du"), widget=DateInput())
    ends_on = forms.DateField(label=_("au (inclus)"), widget=DateInput())


class ReviewForm(forms.Form):
    refurbishing = forms.BooleanField(
        label=_("Compétence reconditionnement : peut contrôler les appareils"), required=False
    )
    observed_on = forms.DateField(
        label=_("Première séance en observation le"), required=False, widget=DateInput()
    )
    refurbishing_trained_on = forms.DateField(
        label=_("Formation au reconditionnement le"), required=False, widget=DateInput()
    )


class DeclareHoursForm(forms.Form):
    reception_point = forms.ModelChoiceField(
        label=_("Point d'accueil"), queryset=ReceptionPoint.objects.none(), empty_label=None
    )
    worked_on = forms.DateField(label=_("Le"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Durée (en heures, par exemple 1,5)"),
        max_digits=4,
        decimal_places=2,
        localize=True,
    )
    category = forms.ChoiceField(label=_("Catégorie"), choices=HoursCategory.choices)
    comment = forms.CharField(label=_("Précision (facultatif)"), max_length=200, required=False)

    def __init__(self, *args: Any, sites: list[ReceptionPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reception_point"].queryset = ReceptionPoint.objects.filter(  # type: ignore[attr-defined]
            pk__in=[s.pk for s in sites]
        )

    @property
    def minutes(self) -> int:
        return int((self.cleaned_data["hours"] * Decimal(60)).to_integral_value())


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Du"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Au"), widget=DateInput(), required=False)


class ApplicationForm(forms.Form):
    """The public form: only what it needs to call the person back."""

    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = PhoneNumberField(label=_("Téléphone (facultatif)"), required=False)
    skills = forms.MultipleChoiceField(
        label=_("Ce que vous aimeriez faire"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.CharField(
        label=_("Vos disponibilités"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : le mardi après-midi, un samedi sur deux."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que le point d'accueil garde ces informations pour me recontacter. "
            "Sans suite, elles sont effacées six mois après."
        ),
        required=False,
    )
    # A trap for robots: hidden from people (and from screen readers), left empty by them.
    website = forms.CharField(required=False, max_length=200, label=_("Ne pas remplir"))


class CandidateMoveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Étape"),
        choices=[
            (CandidateStatus.MET.value, CandidateStatus.MET.label),
            (CandidateStatus.WELCOMED.value, CandidateStatus.WELCOMED.label),
            (CandidateStatus.DECLINED.value, CandidateStatus.DECLINED.label),
        ],
    )


class TrainingForm(forms.Form):
    theme = forms.CharField(label=_("Thème"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    hours = forms.DecimalField(
        label=_("Durée (en heures)"), max_digits=5, decimal_places=2, localize=True
    )
    is_remote = forms.BooleanField(label=_("À distance"), required=False)
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    trainer = forms.CharField(label=_("Formateur ou formatrice"), max_length=150)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)


class RegistrationForm(forms.Form):
    partner_structure = AutocompleteField(
        queryset=PartnerStructure.objects.order_by("name"),
        url_name="network:partner_suggestions",
        search_fields=("name", "commune"),
        label=_("Structure"),
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))

    def __init__(self, *args: Any, fixed_structure: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_structure:  # a lead référent registers their own structure's people
            del self.fields["partner_structure"]


class BroadcastForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : besoin de renfort samedi matin. 300 caractères au plus."),
    )
