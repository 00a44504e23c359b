"""Tables of the reservation pages: available devices for a person, people for a device.

Each row carries a submit button of the one POST form wrapping the table, so a reservation is
one tap and works without JavaScript.
"""

import django_tables2 as tables
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from solidarnum.common.lists import ListTable
from solidarnum.equipment.devices.tables import specs_of
from solidarnum.equipment.models import Device


class ReservableDeviceTable(ListTable):
    """Rows come from `selectors.with_price_today` (annotated with `price_today`)."""

    row_template = "equipment/reservations/_device_rows.html"
    region_label = _("Appareils disponibles")

    kind = tables.Column(verbose_name=_("Type"))
    device = tables.Column(
        verbose_name=_("Appareil"),
        accessor="brand",
        order_by=("brand", "model_name"),
        empty_values=(),
    )
    grade = tables.Column(verbose_name=_("Grade"))
    battery_health = tables.Column(verbose_name=_("Batterie"), empty_values=())
    serial_number = tables.Column(verbose_name=_("Numéro de série"), orderable=False)
    price_today = tables.Column(verbose_name=_("Prix solidaire"), empty_values=())
    action = tables.Column(
        verbose_name=_("Action"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        attrs = {"class": "reserve-table"}
        order_by = ("kind", "grade")

    def prepare(self, records: list[Device]) -> None:
        for record in records:
            record.specs = specs_of(record)  # type: ignore[attr-defined]
            price = getattr(record, "price_today", None)
            record.price_text = (  # type: ignore[attr-defined]
                _("prix non fixé") if price is None else f"{formats.number_format(price, 2)} €"
            )


class PersonToReserveForTable(ListTable):
    """The site's current files with an access running, for a device chosen first."""

    row_template = "equipment/reservations/_person_rows.html"
    region_label = _("Personnes")

    name = tables.Column(
        verbose_name=_("Nom"), accessor="last_name", order_by=("last_name", "first_name")
    )
    birth_year = tables.Column(verbose_name=_("Année de naissance"))
    action = tables.Column(
        verbose_name=_("Action"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        order_by = ("name",)
