"""Forms of the workbench: the serial lookup, the volunteer check and the reservations."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solidarnum.equipment.devices.services import applicable_points
from solidarnum.equipment.enums import CheckAnswer, CheckPoint, DeviceKind, Grade
from solidarnum.equipment.models import Device

POINT_PREFIX = "point_"
MAX_RESERVATION_DAYS = 30


class DeviceLookupForm(forms.Form):
    """One big input: a barcode scanner types the serial, then presses Enter."""

    code = forms.CharField(
        label=_("Numéro de série ou IMEI"),
        max_length=80,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "inputmode": "text",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "enterkeyhint": "go",
                "class": "scan-input",
            }
        ),
        error_messages={
            "required": _("Scannez ou tapez le numéro de série ou l'IMEI."),
            "max_length": _("Ce numéro est trop long (80 caractères au maximum)."),
        },
    )


class DeviceCheckForm(forms.Form):
    """The checklist of one device: one OK / Pas OK / Sans objet question per applicable point."""

    battery_health = forms.IntegerField(
        label=_("Santé de la batterie mesurée (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "battery-input"}),
        error_messages={
            "invalid": _("Indiquez un nombre entre 0 et 100."),
            "min_value": _("Indiquez un nombre entre 0 et 100."),
            "max_value": _("Indiquez un nombre entre 0 et 100."),
        },
    )
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=[("", _("— choisir le grade —")), *Grade.choices],
        required=False,
        error_messages={"required": _("Indiquez le grade de l'appareil (A, B ou C).")},
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        help_text=_("Obligatoire si un point n'est pas OK : dites ce qui ne va pas."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("500 caractères au maximum.")},
    )

    def __init__(self, *args: Any, device: Device, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = applicable_points(device.kind)
        self.battery_threshold = settings.EQUIPMENT_BATTERY_MIN_PERCENT
        for point in self.points:
            self.fields[POINT_PREFIX + point.value] = forms.ChoiceField(
                label=point.label,
                choices=CheckAnswer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Répondez à ce point.")},
            )
        if CheckPoint.BATTERY not in self.points:
            del self.fields["battery_health"]
        else:
            self.fields["battery_health"].help_text = _(
                "Seuil : %(min)s %% au minimum. En dessous, l'appareil part en réparation."
            ) % {"min": self.battery_threshold}
        self.fields["grade"].required = not device.grade
        self.fields["grade"].initial = device.grade
        if device.grade:
            self.fields["grade"].help_text = _("Changez-le seulement s'il ne correspond pas.")

    @property
    def has_battery(self) -> bool:
        return "battery_health" in self.fields

    def point_rows(self) -> list[tuple[CheckPoint, forms.BoundField]]:
        return [(point, self[POINT_PREFIX + point.value]) for point in self.points]

    def answers(self) -> dict[str, str]:
        return {point.value: self.cleaned_data[POINT_PREFIX + point.value] for point in self.points}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answers = [data.get(POINT_PREFIX + point.value) for point in self.points]
        if CheckAnswer.FAIL in answers and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Décrivez ce qui ne va pas : un point n'est pas OK."))
        battery = data.get(POINT_PREFIX + CheckPoint.BATTERY.value)
        if (
            self.has_battery
            and battery in (CheckAnswer.OK, CheckAnswer.FAIL)
            and data.get("battery_health") is None
            and "battery_health" not in self.errors
        ):
            self.add_error("battery_health", _("Indiquez la santé de la batterie mesurée, en %."))
        return data


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


class AvailableDeviceFilter(django_filters.FilterSet):
    """Filters of the available devices offered for a reservation."""

    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=DeviceKind.choices, empty_label=_("Tous")
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, empty_label=_("Tous")
    )

    class Meta:
        model = Device
        fields = ["kind", "grade"]
