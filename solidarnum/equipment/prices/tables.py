"""The price history table."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.common.lists import ListTable
from solidarnum.equipment.models import Price


class PriceHistoryTable(ListTable):
    row_template = "equipment/prices/_history_rows.html"
    region_label = gettext_lazy("Historique des prix")

    kind = tables.Column(verbose_name=gettext_lazy("Type"))
    grade = tables.Column(verbose_name=gettext_lazy("Grade"))
    amount = tables.Column(verbose_name=gettext_lazy("Prix solidaire"))
    valid_from = tables.DateColumn(verbose_name=gettext_lazy("À partir du"), format="d/m/Y")
    until = tables.Column(
        verbose_name=gettext_lazy("Jusqu'au"),
        accessor="next_start",
        orderable=False,
        empty_values=(),  # "en vigueur" when there is no next price
    )

    class Meta:
        model = Price
        fields = ["kind", "grade", "amount", "valid_from"]
        order_by = ("-valid_from",)

    def prepare(self, records: list[Price]) -> None:
        today = timezone.localdate()
        for record in records:
            record.amount_text = _("%(amount)s €") % {"amount": money(record.amount)}  # type: ignore[attr-defined]
            record.until_text = until_text(record.next_start, today)  # type: ignore[attr-defined]


def until_text(value: date | None, today: date) -> str:
    if value is None:
        return _("en vigueur")
    last_day = value - timedelta(days=1)
    if value > today:
        return _("en vigueur jusqu'au %(date)s") % {"date": last_day.strftime("%d/%m/%Y")}
    return last_day.strftime("%d/%m/%Y")


def money(value: Any) -> str:
    return f"{value:.2f}".replace(".", ",")
