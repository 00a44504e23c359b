"""Packs maraude: free packs of a basic phone, a SIM card and a recharge, handed to a partner
structure (night shelter, outreach team) for people it meets, with no person's file.

One handover is N packs; each pack names its three parts, each part in one pack at most
(one-to-one links, so the database refuses a device or a code given twice).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import ReferencedModel
from solidarnum.common.validators import validate_spreadsheet_safe
from solidarnum.connectivity.models.codes import Code
from solidarnum.connectivity.models.offers import Offer

MAX_PACKS = 50


class PackHandover(ReferencedModel):
    """N outreach packs handed by a reception point to a partner structure, with its slip."""

    reference_prefix = "PACK"
    reference_date_field = "handed_at"
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="pack_handovers",
        verbose_name=_("point d'accueil"),
    )
    structure = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        related_name="pack_handovers",
        verbose_name=_("structure partenaire"),
    )
    quantity = models.PositiveSmallIntegerField(
        _("nombre de packs"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PACKS)]
    )
    sim_offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="+", verbose_name=_("carte SIM")
    )
    top_up_offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="+", verbose_name=_("recharge")
    )
    note = models.CharField(
        _("remarque"), max_length=255, blank=True, validators=[validate_spreadsheet_safe]
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("remis par"),
    )
    handed_at = models.DateTimeField(_("remis le"), default=timezone.now)

    class Meta:
        verbose_name = _("remise de packs maraude")
        verbose_name_plural = _("remises de packs maraude")
        ordering = ["-handed_at", "-id"]
        indexes = [
            models.Index(fields=["reception_point", "-handed_at", "-id"]),
            models.Index(fields=["structure", "-handed_at", "-id"]),
            models.Index(fields=["-handed_at", "-id"], name="pack_handover_latest"),
        ]

    def __str__(self) -> str:
        return self.reference


class OutreachPack(models.Model):
    """One pack: a basic phone, a SIM card, a recharge."""

    handover = models.ForeignKey(
        PackHandover, on_delete=models.PROTECT, related_name="packs", verbose_name=_("remise")
    )
    device = models.OneToOneField(
        "equipment.Device",
        on_delete=models.PROTECT,
        related_name="outreach_pack",
        verbose_name=_("téléphone"),
    )
    sim = models.OneToOneField(
        Code, on_delete=models.PROTECT, related_name="sim_pack", verbose_name=_("carte SIM")
    )
    top_up = models.OneToOneField(
        Code, on_delete=models.PROTECT, related_name="top_up_pack", verbose_name=_("recharge")
    )

    class Meta:
        verbose_name = _("pack maraude")
        verbose_name_plural = _("packs maraude")
        ordering = ["handover", "id"]
        constraints = [
            models.CheckConstraint(
                name="outreach_pack_two_codes", condition=~models.Q(sim=models.F("top_up"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handover_id} · {self.pk}"
