"""Forms of the permanence pages: a weekly slot, a day without it, a booking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.support.enums import WEEKDAYS

DURATIONS = [(60, _("1 h")), (90, _("1 h 30")), (120, _("2 h"))]


class SlotPatternForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Jour"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(
        label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Durée"), choices=DURATIONS, coerce=int, initial=90
    )
    room = forms.CharField(label=_("Salle"), max_length=80)
    valid_from = forms.DateField(
        label=_("À partir du"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Jusqu'au (facultatif)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()


class SlotExceptionForm(forms.Form):
    on = forms.DateField(
        label=_("Date sans ce créneau"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("Motif (facultatif)"), max_length=120, required=False)


def volunteer_field(proposals: list[tuple[int, str]], *, required: bool) -> forms.ChoiceField:
    """The volunteers free for the slot, ranked, each with the reasons of the ranking."""
    choices: list[tuple[str, str]] = [] if required else [("", str(_("Le premier bénévole libre")))]
    choices += [(str(pk), label) for pk, label in proposals]
    return forms.ChoiceField(label=_("Avec"), choices=choices, required=required)


class SlotBookingForm(forms.Form):
    """From the agenda: a person for this slot."""

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
    what_to_bring = forms.CharField(
        label=_("À apporter (dit à la personne)"),
        max_length=160,
        required=False,
        initial=_("votre téléphone et vos identifiants"),
    )

    def __init__(self, *args: Any, people: Any, proposals: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = people  # type: ignore[attr-defined]
        self.fields["volunteer"] = volunteer_field(proposals, required=True)
        self.order_fields(["beneficiary", "volunteer", "what_to_bring"])


class PersonBookingForm(forms.Form):
    """From the person's file: a free slot of their site."""

    what_to_bring = SlotBookingForm.base_fields["what_to_bring"]

    def __init__(
        self,
        *args: Any,
        slots: list[tuple[str, str]],
        proposals: list[tuple[int, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"] = forms.ChoiceField(
            label=_("Créneau"),
            choices=slots,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choisissez un créneau.")},
        )
        if proposals is not None:  # staff choose; a référent's booking takes the first free
            self.fields["volunteer"] = volunteer_field(proposals, required=False)
        self.order_fields(["slot", "volunteer", "what_to_bring"])


class WaitingForm(forms.Form):
    note = forms.CharField(label=_("Précision (facultatif)"), max_length=160, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("came", _("Venu·e")), ("excused", _("Excusé·e")), ("absent", _("Absent·e"))]
    )


class MoveForm(forms.Form):
    """From the appointment's page: another slot, another volunteer, or both."""

    def __init__(
        self,
        *args: Any,
        slots: list[tuple[str, str]],
        proposals: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"] = forms.ChoiceField(
            label=_("Nouveau créneau"),
            choices=slots,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choisissez un créneau.")},
        )
        self.fields["volunteer"] = volunteer_field(proposals, required=True)
