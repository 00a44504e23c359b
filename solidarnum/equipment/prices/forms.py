"""The form of a new solidarity price."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.equipment.donations.forms import DATE_INPUT
from solidarnum.equipment.enums import DeviceKind, Grade

PAST_PRICE_MESSAGE = _(
    "Un nouveau prix s'applique à partir d'aujourd'hui ou plus tard, jamais dans le passé."
)


class PriceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'appareil"), choices=DeviceKind.choices)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    amount = forms.DecimalField(
        label=_("Prix solidaire (€)"),
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("2000"),
    )
    valid_from = forms.DateField(
        label=_("À partir du"),
        widget=DATE_INPUT,
        help_text=_("Aujourd'hui ou plus tard : les prix passés ne sont jamais modifiés."),
    )

    def clean_valid_from(self) -> date:
        value: date = self.cleaned_data["valid_from"]
        if value < timezone.localdate():
            raise forms.ValidationError(PAST_PRICE_MESSAGE)
        return value
