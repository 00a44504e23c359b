"""Forms of the reservations: from the person's file, from the device, the cancellation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_RESERVATION_DAYS = 30


def _days_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Durée de la réservation (jours)"),
        min_value=1,
        max_value=MAX_RESERVATION_DAYS,
        required=False,
        initial=settings.EQUIPMENT_RESERVATION_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Indiquez un nombre de jours entre 1 et %(max)s.")
            % {"max": MAX_RESERVATION_DAYS},
            "min_value": _("Indiquez un nombre de jours entre 1 et %(max)s.")
            % {"max": MAX_RESERVATION_DAYS},
            "max_value": _("Indiquez un nombre de jours entre 1 et %(max)s.")
            % {"max": MAX_RESERVATION_DAYS},
        },
    )


class ReserveDeviceForm(forms.Form):
    """From the person's file: the "Réserver" button of a row sends the device's id."""

    device = forms.IntegerField(
        min_value=1, error_messages={"required": _("Choisissez un appareil à réserver.")}
    )
    days = _days_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].error_messages["invalid"] = _("Choisissez un appareil à réserver.")
        self.fields["device"].error_messages["min_value"] = _("Choisissez un appareil à réserver.")


class ReserveForPersonForm(forms.Form):
    """From the device: the "Réserver pour cette personne" button of a row sends the file id."""

    beneficiary = forms.UUIDField(
        error_messages={
            "required": _("Choisissez la personne."),
            "invalid": _("Choisissez la personne."),
        }
    )
    days = _days_field()


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom de la personne"), max_length=100, required=False)


class CancelReservationForm(forms.Form):
    next = forms.CharField(required=False, max_length=500)
