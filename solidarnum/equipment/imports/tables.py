"""Tables of the batch pages: the batch list, the devices of a batch."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.common.lists import ListTable
from solidarnum.equipment.models import Device, ImportBatch
from solidarnum.equipment.selectors import erasure_state


class BatchTable(ListTable):
    row_template = "equipment/imports/_batch_rows.html"
    region_label = gettext_lazy("Lots")
    reference = tables.Column(verbose_name=gettext_lazy("Lot"))
    donation = tables.Column(
        verbose_name=gettext_lazy("Don"), accessor="donation__reference", orderable=False
    )
    donor = tables.Column(
        verbose_name=gettext_lazy("Donateur"), accessor="donation__donor__name", orderable=False
    )
    refurbisher = tables.Column(
        verbose_name=gettext_lazy("Atelier"), accessor="refurbisher__name", orderable=False
    )
    row_count = tables.Column(verbose_name=gettext_lazy("Appareils"), orderable=False)
    imported_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Importé le"), format="d/m/Y H:i")

    class Meta:
        model = ImportBatch
        fields = ["reference", "donation", "donor", "refurbisher", "row_count", "imported_at"]
        order_by = ("-imported_at",)


def status_badge(device: Device) -> SafeString:
    return format_html('<span class="badge">{}</span>', device.get_status_display())


class BatchDeviceTable(ListTable):
    row_template = "equipment/imports/_batch_device_rows.html"
    region_label = gettext_lazy("Appareils du lot")

    pick = tables.Column(
        verbose_name=gettext_lazy("Choisir"), accessor="pk", orderable=False, empty_values=()
    )
    serial_number = tables.Column(verbose_name=gettext_lazy("Numéro de série"))
    kind = tables.Column(verbose_name=gettext_lazy("Type"))
    label = tables.Column(
        verbose_name=gettext_lazy("Marque et modèle"),
        accessor="brand",
        order_by=("brand", "model_name"),
    )
    grade = tables.Column(verbose_name=gettext_lazy("Grade"))
    status = tables.Column(verbose_name=gettext_lazy("Statut"))
    erasure = tables.Column(
        verbose_name=gettext_lazy("Effacement"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        model = Device
        fields = ["pick", "serial_number", "kind", "label", "grade", "status", "erasure"]
        order_by = ("serial_number",)

    def prepare(self, records: list[Any]) -> None:
        for record in records:
            record.pick_label = _("Choisir %(serial)s") % {"serial": record.serial_number}
            record.erasure_text = erasure_state(
                has_successful_erasure=record.has_successful_erasure,
                has_certificate=record.has_erasure_certificate,
            ).label
