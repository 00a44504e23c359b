"""Filters of the devices offered for a reservation."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from solidarnum.equipment.enums import DeviceKind, Grade
from solidarnum.equipment.models import Device


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
