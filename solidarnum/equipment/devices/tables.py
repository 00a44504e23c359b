"""The device search table. Rows come with their place and today's price already joined."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.utils import formats
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidarnum.common.lists import ListTable
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device

# Statuses after which a device is no longer part of the stock.
GONE_STATUSES = frozenset({Status.SOLD, Status.RECYCLED, Status.SPARE_PARTS})


def euros(amount: Decimal | None) -> str:
    """90,00 € (French grouping and decimal comma)."""
    if amount is None:
        return ""
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)} €"


def status_badge(device: Device) -> SafeString:
    css = "badge badge-off" if device.status in GONE_STATUSES else "badge"
    return format_html('<span class="{}">{}</span>', css, device.get_status_display())


def place_of(device: Device) -> str:
    """Where the device is: a reception point, on its way to one, or at the workshop.

    Needs `reception_point`, `transfer__to_point` and `refurbisher` joined."""
    if device.transfer_id is not None and device.transfer is not None:
        return gettext("En transit vers %(to)s") % {"to": device.transfer.to_point.name}
    if device.reception_point_id is not None and device.reception_point is not None:
        return device.reception_point.name
    return gettext("À l'atelier %(name)s") % {"name": device.refurbisher.name}


def specs_of(device: Device) -> str:
    parts = [device.processor]
    if device.ram_gb:
        parts.append(_("%(n)s Go de mémoire") % {"n": device.ram_gb})
    if device.storage_gb:
        parts.append(_("%(n)s Go de stockage") % {"n": device.storage_gb})
    if device.screen_inches:
        parts.append(
            _("écran %(n)s pouces") % {"n": formats.number_format(device.screen_inches, 1)}
        )
    parts.append(device.operating_system)
    return " · ".join(str(part) for part in parts if part)


class DeviceTable(ListTable):
    row_template = "equipment/devices/_device_rows.html"
    region_label = _("Appareils")
    serial_number = tables.Column(verbose_name=_("N° de série"))
    kind = tables.Column(verbose_name=_("Type"), orderable=False)
    label = tables.Column(verbose_name=_("Marque et modèle"), accessor="brand", orderable=False)
    grade = tables.Column(verbose_name=_("Grade"), orderable=False, default="—")
    status = tables.Column(verbose_name=_("Statut"), orderable=False)
    place = tables.Column(verbose_name=_("Où"), accessor="pk", orderable=False)
    price_today = tables.Column(verbose_name=_("Prix aujourd'hui"), orderable=False, default="—")

    class Meta:
        model = Device
        fields = ["serial_number", "kind", "grade", "status"]
        sequence = ["serial_number", "kind", "label", "grade", "status", "place", "price_today"]
        # Newest first (the model's ordering, by primary key): no sort on an unindexed column.
        orderable = False

    def prepare(self, records: list[Device]) -> None:
        for record in records:
            record.status_html = status_badge(record)  # type: ignore[attr-defined]
            record.place_text = place_of(record)  # type: ignore[attr-defined]
            record.price_text = euros(record.price_today) or "—"  # type: ignore[attr-defined]
