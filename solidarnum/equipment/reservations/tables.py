"""Tables of the reservation pages: available devices for a person, people for a device.

Each row carries a submit button of the one POST form wrapping the table, so a reservation is
one tap and works without JavaScript.
"""

from typing import Any

import django_tables2 as tables
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.equipment.devices.tables import specs_of
from solidarnum.equipment.models import Device


class ReservableDeviceTable(tables.Table):
    """Rows come from `selectors.with_price_today` (annotated with `price_today`)."""

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

    def render_kind(self, record: Device) -> str:
        return str(record.get_kind_display())

    def render_device(self, record: Device) -> SafeString:
        return format_html(
            '{}<br><span class="muted small">{}</span>', record.label, specs_of(record)
        )

    def render_grade(self, record: Device) -> str:
        return record.grade

    def render_battery_health(self, record: Device) -> str:
        if record.battery_health is None:
            return "—"
        return f"{record.battery_health} %"

    def render_price_today(self, record: Any) -> str:
        price = getattr(record, "price_today", None)
        if price is None:
            return str(_("prix non fixé"))
        return f"{formats.number_format(price, 2)} €"

    def render_action(self, record: Device) -> SafeString:
        return format_html(
            '<button type="submit" name="device" value="{}" class="button small">{}</button>',
            record.pk,
            _("Réserver"),
        )


class PersonToReserveForTable(tables.Table):
    """The site's current files with an access running, for a device chosen first."""

    name = tables.Column(
        verbose_name=_("Nom"), accessor="last_name", order_by=("last_name", "first_name")
    )
    birth_year = tables.Column(verbose_name=_("Année de naissance"))
    action = tables.Column(
        verbose_name=_("Action"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        order_by = ("name",)

    def render_name(self, record: Beneficiary) -> str:
        return record.full_name

    def render_action(self, record: Beneficiary) -> SafeString:
        return format_html(
            '<button type="submit" name="beneficiary" value="{}" class="button small">{}</button>',
            record.public_id,
            _("Réserver pour cette personne"),
        )
