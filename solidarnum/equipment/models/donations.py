"""Donations and what the donor announced."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import ReferencedModel, TimeStampedModel
from solidarnum.equipment.enums import (
    DeviceKind,
    DonationSource,
)


class Donation(ReferencedModel, TimeStampedModel):
    """A donor company's gift of devices, routed to a refurbishing workshop."""

    reference_prefix = "DON"
    reference_date_field = "donated_on"
    donor = models.ForeignKey(
        "network.DonorCompany",
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("entreprise donatrice"),
    )
    donated_on = models.DateField(_("date du don"))
    source = models.CharField(_("origine"), max_length=24, choices=DonationSource.choices)
    pickup_place = models.CharField(_("lieu d'enlèvement"), max_length=255)
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("reconditionneur"),
    )
    notes = models.TextField(_("remarques"), blank=True)
    tax_receipt_number = models.CharField(_("numéro du reçu fiscal"), max_length=40, blank=True)
    tax_receipt_date = models.DateField(_("date du reçu fiscal"), null=True, blank=True)
    valued_amount = models.DecimalField(
        _("valorisation (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("don")
        verbose_name_plural = _("dons")
        ordering = ["-donated_on", "-id"]
        indexes = [
            models.Index(fields=["donor", "donated_on"]),
            models.Index(fields=["refurbisher", "donated_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="donation_receipt_complete",
                condition=Q(tax_receipt_number="", tax_receipt_date__isnull=True)
                | (~Q(tax_receipt_number="") & Q(tax_receipt_date__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class DonationItem(models.Model):
    """How many devices of one kind the donor announced."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("type"), max_length=16, choices=DeviceKind.choices)
    expected_quantity = models.PositiveIntegerField(
        _("nombre annoncé"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )

    class Meta:
        verbose_name = _("ligne de don")
        constraints = [
            models.UniqueConstraint(fields=["donation", "kind"], name="donation_item_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.expected_quantity} × {self.get_kind_display()}"
