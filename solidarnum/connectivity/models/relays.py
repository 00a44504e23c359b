"""Relais numériques: codes consigned to a relay, the sales it records, its monthly statements.

What a relay keeps about its buyers is ADR 0029: a first name and a birth year, nothing else;
the reception point reads counts and amounts, never those names.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import ReferencedModel
from solidarnum.common.validators import validate_spreadsheet_safe
from solidarnum.connectivity.enums import StatementStatus
from solidarnum.connectivity.models.offers import Offer


class Consignment(ReferencedModel):
    """Codes of one offer a reception point hands to a relay to sell on its behalf."""

    reference_prefix = "DEP"
    reference_date_field = "sent_at"
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="consignments",
        verbose_name=_("point d'accueil"),
    )
    relay = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        related_name="consignments",
        verbose_name=_("relais numérique"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="consignments", verbose_name=_("offre")
    )
    quantity = models.PositiveIntegerField(_("quantité"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )
    sent_at = models.DateTimeField(_("confié le"), default=timezone.now)
    note = models.CharField(
        _("remarque"), max_length=255, blank=True, validators=[validate_spreadsheet_safe]
    )

    class Meta:
        verbose_name = _("dépôt au relais")
        verbose_name_plural = _("dépôts aux relais")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["relay", "sent_at"]),
            models.Index(fields=["reception_point", "sent_at"]),
        ]

    def __str__(self) -> str:
        return self.reference


class RelaySale(models.Model):
    """A sale a relay records: an offer, a quantity, and who bought (ADR 0029)."""

    relay = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        related_name="relay_sales",
        verbose_name=_("relais numérique"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="relay_sales", verbose_name=_("offre")
    )
    quantity = models.PositiveSmallIntegerField(
        _("quantité"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    unit_price = models.DecimalField(
        _("prix solidaire unitaire (€)"), max_digits=6, decimal_places=2
    )
    total = models.DecimalField(_("montant (€)"), max_digits=8, decimal_places=2)
    buyer_first_name = models.CharField(
        _("prénom de l'acheteur"), max_length=60, validators=[validate_spreadsheet_safe]
    )
    buyer_birth_year = models.PositiveSmallIntegerField(
        _("année de naissance de l'acheteur"),
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    # The first name as compared for the relay's quota (lower case, no accents).
    buyer_key = models.CharField(_("clé de l'acheteur"), max_length=80, editable=False)
    sold_at = models.DateTimeField(_("vendu le"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("enregistré par"),
    )

    class Meta:
        verbose_name = _("vente au relais")
        verbose_name_plural = _("ventes aux relais")
        ordering = ["-sold_at", "-id"]
        indexes = [
            models.Index(fields=["relay", "sold_at"]),
            models.Index(fields=["relay", "offer", "buyer_key", "sold_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="relay_sale_total_is_quantity_times_price",
                condition=Q(total=models.F("quantity") * models.F("unit_price")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relay_id} · {self.quantity} × {self.offer_id}"


class RelayStatement(models.Model):
    """A relay's settlement statement for one month, frozen when the reception point validates
    it; the payment is recorded on it afterwards."""

    relay = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        related_name="relay_statements",
        verbose_name=_("relais numérique"),
    )
    month = models.DateField(_("mois"), help_text=_("Le premier jour du mois."))
    received = models.PositiveIntegerField(_("reçus"))
    sold = models.PositiveIntegerField(_("vendus"))
    returned = models.PositiveIntegerField(_("rendus"))
    left = models.PositiveIntegerField(_("restants"))
    amount_due = models.DecimalField(_("montant dû (€)"), max_digits=9, decimal_places=2)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=StatementStatus.choices,
        default=StatementStatus.VALIDATED,
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("validé par"),
    )
    validated_at = models.DateTimeField(_("validé le"), default=timezone.now)
    paid_amount = models.DecimalField(
        _("montant payé (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    paid_on = models.DateField(_("payé le"), null=True, blank=True)
    payment_reference = models.CharField(
        _("référence du paiement"),
        max_length=80,
        blank=True,
        validators=[validate_spreadsheet_safe],
    )
    payment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paiement enregistré par"),
    )

    class Meta:
        verbose_name = _("relevé mensuel du relais")
        verbose_name_plural = _("relevés mensuels des relais")
        ordering = ["-month", "relay"]
        constraints = [
            models.UniqueConstraint(
                fields=["relay", "month"], name="relay_statement_one_per_month"
            ),
            models.CheckConstraint(
                name="relay_statement_paid_has_amount",
                condition=~Q(status="paid")
                | (Q(paid_amount__isnull=False) & Q(paid_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relay_id} · {self.month:%m/%Y}"
