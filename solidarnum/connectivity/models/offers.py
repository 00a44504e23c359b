"""The offers catalogue and its dated prices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import TimeStampedModel
from solidarnum.common.validators import validate_spreadsheet_safe
from solidarnum.connectivity.enums import OfferKind


class OfferQuerySet(models.QuerySet["Offer"]):
    def on_sale(self) -> OfferQuerySet:
        return self.filter(is_withdrawn=False)


class Offer(TimeStampedModel):
    """A card or code the association sells: a SIM card, a recharge, a data card..."""

    name = models.CharField(
        _("nom"), max_length=120, unique=True, validators=[validate_spreadsheet_safe]
    )
    kind = models.CharField(_("type"), max_length=10, choices=OfferKind.choices)
    operator = models.CharField(
        _("opérateur"), max_length=60, validators=[validate_spreadsheet_safe]
    )
    validity_days = models.PositiveSmallIntegerField(
        _("validité (jours)"), null=True, blank=True, validators=[MaxValueValidator(3650)]
    )
    data_gb = models.DecimalField(
        _("internet (Go)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    unlimited_calls_sms = models.BooleanField(_("appels et SMS illimités"), default=False)
    description = models.CharField(
        _("ce que l'offre donne"),
        max_length=255,
        blank=True,
        validators=[validate_spreadsheet_safe],
    )
    quota_per_30_days = models.PositiveSmallIntegerField(
        _("achats permis par personne sur 30 jours"),
        null=True,
        blank=True,
        help_text=_("Vide : pas de limite. La caisse applique ce quota sur 30 jours glissants."),
    )
    is_withdrawn = models.BooleanField(
        _("retirée de la vente"),
        default=False,
        help_text=_("Une offre retirée est cachée, jamais supprimée : l'historique reste lisible."),
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offre de connexion")
        verbose_name_plural = _("offres de connexion")
        ordering = ["is_withdrawn", "name"]
        indexes = [models.Index(fields=["is_withdrawn", "name"])]

    def __str__(self) -> str:
        return self.name


class OfferPrice(models.Model):
    """The solidarity price and the market reference price of an offer from a date, until the
    next one: a price change never rewrites what was charged before."""

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="prices", verbose_name=_("offre")
    )
    valid_from = models.DateField(_("à partir du"))
    solidarity_price = models.DecimalField(
        _("prix solidaire (€)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
    )
    market_price = models.DecimalField(
        _("prix de référence du marché (€)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("prix d'une offre")
        verbose_name_plural = _("prix des offres")
        ordering = ["offer", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "valid_from"], name="offer_price_one_per_day"),
            models.CheckConstraint(
                name="offer_price_solidarity_not_above_market",
                condition=Q(solidarity_price__gte=0) & Q(solidarity_price__lte=F("market_price")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} · {self.valid_from:%d/%m/%Y} · {self.solidarity_price} €"

    def applies_on(self, day: date) -> bool:
        return self.valid_from <= day
