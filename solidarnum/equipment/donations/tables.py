"""The donation list table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy

from solidarnum.common.lists import ListTable
from solidarnum.equipment.models import Donation


class DonationTable(ListTable):
    row_template = "equipment/donations/_donation_rows.html"
    region_label = gettext_lazy("Dons")
    reference = tables.Column(verbose_name=gettext_lazy("Référence"))
    donated_on = tables.DateColumn(verbose_name=gettext_lazy("Date"), format="d/m/Y")
    donor = tables.Column(verbose_name=gettext_lazy("Entreprise"), accessor="donor__name")
    source = tables.Column(verbose_name=gettext_lazy("Origine"))
    refurbisher = tables.Column(verbose_name=gettext_lazy("Atelier"), accessor="refurbisher__name")
    devices = tables.Column(
        verbose_name=gettext_lazy("Appareils enregistrés / annoncés"),
        accessor="registered_total",
        orderable=False,
    )
    tax_receipt = tables.Column(
        verbose_name=gettext_lazy("Reçu fiscal"),
        accessor="tax_receipt_number",
        orderable=False,
        empty_values=(),  # "non" when there is no receipt yet
    )

    class Meta:
        model = Donation
        fields = ["reference", "donated_on", "source"]
        sequence = [
            "reference",
            "donated_on",
            "donor",
            "source",
            "refurbisher",
            "devices",
            "tax_receipt",
        ]
        order_by = ("-donated_on",)
