"""Transfers between places and stock counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import ReferencedModel
from solidarnum.equipment.enums import (
    StockCountStatus,
    TransferStatus,
)
from solidarnum.equipment.models.devices import Device


class Transfer(ReferencedModel):
    """Devices travelling from a workshop or a reception point to a reception point."""

    reference_prefix = "TR"
    reference_date_field = "sent_at"
    from_refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("depuis l'atelier"),
    )
    from_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("depuis le point d'accueil"),
    )
    to_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("vers le point d'accueil"),
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=TransferStatus.choices,
        default=TransferStatus.IN_TRANSIT,
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    note = models.CharField(_("remarque"), max_length=255, blank=True)
    discrepancy_note = models.CharField(_("écart constaté"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("transfert")
        verbose_name_plural = _("transferts")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_point", "status"]),
            models.Index(fields=["from_point", "status"]),
            models.Index(fields=["from_refurbisher", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="transfer_one_origin",
                condition=(Q(from_refurbisher__isnull=True) & Q(from_point__isnull=False))
                | (Q(from_refurbisher__isnull=False) & Q(from_point__isnull=True)),
            ),
            models.CheckConstraint(
                name="transfer_not_to_itself", condition=~Q(from_point=models.F("to_point"))
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def origin(self) -> object:
        return self.from_point or self.from_refurbisher


class TransferItem(models.Model):
    """One device of a transfer; `received` is filled in at reception."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="items")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="transfer_items")
    received = models.BooleanField(_("reçu"), null=True)

    class Meta:
        verbose_name = _("appareil transféré")
        constraints = [
            models.UniqueConstraint(fields=["transfer", "device"], name="transfer_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}/{self.device_id}"


class StockCount(models.Model):
    """A periodic count of one reception point's shelves."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint", on_delete=models.PROTECT, related_name="stock_counts"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=StockCountStatus.choices, default=StockCountStatus.OPEN
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    closed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # Frozen at closing: what was expected but not scanned, and scanned but not expected.
    missing = models.JSONField(default=list, blank=True)
    unexpected = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("inventaire")
        verbose_name_plural = _("inventaires")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["reception_point", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["reception_point"],
                condition=Q(status=StockCountStatus.OPEN),
                name="stock_count_one_open_per_site",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reception_point_id} · {self.started_at:%d/%m/%Y}"


class StockCountScan(models.Model):
    """A serial number scanned or typed during a stock count."""

    stock_count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="scans")
    serial = models.CharField(_("numéro scanné"), max_length=60)
    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scanned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lecture d'inventaire")
        ordering = ["-scanned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["stock_count", "serial"], name="stock_scan_once")
        ]

    def __str__(self) -> str:
        return self.serial
