"""Tables of the logistics pages: transfers and stock counts."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.common.lists import ListTable
from solidarnum.equipment.enums import StockCountStatus, TransferStatus
from solidarnum.equipment.models import StockCount, Transfer


def transfer_origin(transfer: Transfer) -> str:
    if transfer.from_point is not None:
        return transfer.from_point.name
    if transfer.from_refurbisher is not None:
        return _("%(name)s (atelier)") % {"name": transfer.from_refurbisher.name}
    return "—"


def transfer_badge(transfer: Transfer, site_id: int | None = None) -> SafeString:
    """The status; a transfer a site still has to receive stands out."""
    if transfer.status == TransferStatus.IN_TRANSIT and site_id and transfer.to_point_id == site_id:
        return format_html('<span class="badge badge-late">{}</span>', _("À réceptionner"))
    css = {
        TransferStatus.IN_TRANSIT: "badge",
        TransferStatus.RECEIVED: "badge badge-off",
        TransferStatus.DISCREPANCY: "badge badge-late",
    }.get(TransferStatus(transfer.status), "badge")
    return format_html('<span class="{}">{}</span>', css, transfer.get_status_display())


class TransferTable(ListTable):
    row_template = "equipment/logistics/_transfer_rows.html"
    region_label = gettext_lazy("Transferts")
    reference = tables.Column(verbose_name=gettext_lazy("Référence"))
    origin = tables.Column(verbose_name=gettext_lazy("Départ"), accessor="pk")
    to_point = tables.Column(verbose_name=gettext_lazy("Destination"), accessor="to_point__name")
    sent_at = tables.DateColumn(verbose_name=gettext_lazy("Envoyé le"), format="d/m/Y")
    device_count = tables.Column(verbose_name=gettext_lazy("Appareils"))
    status = tables.Column(verbose_name=gettext_lazy("Statut"))

    class Meta:
        model = Transfer
        fields = ["reference", "sent_at", "status"]
        sequence = ["reference", "origin", "to_point", "sent_at", "device_count", "status"]
        # The selector's order (what to receive first, then the newest) is the meaningful one.
        orderable = False

    def __init__(self, *args: Any, site_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site_id = site_id

    def prepare(self, records: list[Transfer]) -> None:
        for record in records:
            record.origin_text = transfer_origin(record)  # type: ignore[attr-defined]
            record.status_html = transfer_badge(record, self.site_id)  # type: ignore[attr-defined]


def stock_count_badge(count: StockCount) -> SafeString:
    css = "badge" if count.status == StockCountStatus.OPEN else "badge badge-off"
    return format_html('<span class="{}">{}</span>', css, count.get_status_display())


class StockCountTable(ListTable):
    row_template = "equipment/logistics/_stock_count_rows.html"
    region_label = gettext_lazy("Inventaires")
    started_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Commencé le"))
    reception_point = tables.Column(
        verbose_name=gettext_lazy("Point d'accueil"), accessor="reception_point__name"
    )
    started_by = tables.Column(verbose_name=gettext_lazy("Par"), accessor="started_by")
    status = tables.Column(verbose_name=gettext_lazy("Statut"))
    scan_count = tables.Column(verbose_name=gettext_lazy("Scannés"))
    # empty_values=(): a closed count with no gap shows 0, not a dash.
    missing = tables.Column(verbose_name=gettext_lazy("Manquants"), empty_values=())
    unexpected = tables.Column(verbose_name=gettext_lazy("Inattendus"), empty_values=())

    class Meta:
        model = StockCount
        fields = ["started_at", "status", "missing", "unexpected"]
        sequence = [
            "started_at",
            "reception_point",
            "started_by",
            "status",
            "scan_count",
            "missing",
            "unexpected",
        ]
        orderable = False

    def prepare(self, records: list[StockCount]) -> None:
        for record in records:
            user = record.started_by
            record.started_by_text = (user.get_full_name() or user.email) if user else "—"  # type: ignore[attr-defined]
            record.status_html = stock_count_badge(record)  # type: ignore[attr-defined]
            # The gaps are frozen when the count ends; while open they are not known yet.
            is_open = record.status == StockCountStatus.OPEN
            record.missing_text = _("en cours") if is_open else str(len(record.missing))  # type: ignore[attr-defined]
            record.unexpected_text = _("en cours") if is_open else str(len(record.unexpected))  # type: ignore[attr-defined]
