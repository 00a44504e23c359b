"""Forms of the volunteer check: the serial lookup and the checklist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solidarnum.equipment.enums import CheckAnswer, CheckPoint, Grade
from solidarnum.equipment.models import Device

from .services import applicable_points

POINT_PREFIX = "point_"


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
