"""Cards and codes, one row each, their history, the deliveries that brought them, transfers
between places and the stock alert thresholds."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from solidarnum.common.models import ReferencedModel
from solidarnum.connectivity.enums import HELD_STATUSES, CodeStatus, CodeTransferStatus
from solidarnum.connectivity.models.offers import Offer


class Delivery(ReferencedModel):
    """One delivery file of the operator, received by one reception point."""

    reference_prefix = "LIV"
    reference_date_field = "received_at"
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="code_deliveries",
        verbose_name=_("point d'accueil"),
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    row_count = models.PositiveIntegerField(_("nombre de cartes et codes"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reçu par"),
    )
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)

    class Meta:
        verbose_name = _("livraison de l'opérateur")
        verbose_name_plural = _("livraisons de l'opérateur")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["reception_point", "received_at"])]

    def __str__(self) -> str:
        return self.reference


class CodeTransfer(ReferencedModel):
    """Cards and codes travelling from one reception point to another."""

    reference_prefix = "TC"
    reference_date_field = "sent_at"
    from_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="code_transfers_out",
        verbose_name=_("depuis le point d'accueil"),
    )
    to_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="code_transfers_in",
        verbose_name=_("vers le point d'accueil"),
    )
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=CodeTransferStatus.choices,
        default=CodeTransferStatus.IN_TRANSIT,
    )
    quantity = models.PositiveIntegerField(_("quantité envoyée"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reçu par"),
    )
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    discrepancy_note = models.CharField(_("écart constaté"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("transfert de cartes et codes")
        verbose_name_plural = _("transferts de cartes et codes")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_point", "status"]),
            models.Index(fields=["from_point", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="code_transfer_not_to_itself", condition=~Q(from_point=models.F("to_point"))
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CodeQuerySet(models.QuerySet["Code"]):
    def sellable(self) -> CodeQuerySet:
        """In stock at a reception point, never revealed, not expired."""
        return self.filter(status=CodeStatus.IN_STOCK, revealed_at__isnull=True).exclude(
            expires_on__lt=timezone.localdate()
        )


class Code(models.Model):
    """One SIM card (its ICCID is the serial) or one recharge / data code.

    The secret code is stored encrypted (`crypto`, ADR 0028): the column holds a Fernet token,
    which a database dump alone cannot read. It is never shown by `__str__`, the admin, a list,
    an export or the API.
    """

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="codes", verbose_name=_("offre")
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="codes",
        verbose_name=_("livraison"),
    )
    serial = models.CharField(_("numéro de série ou ICCID"), max_length=32, unique=True)
    phone_number = PhoneNumberField(_("numéro de téléphone"), blank=True)
    secret_token = models.TextField(_("code secret (chiffré)"), blank=True, editable=False)
    face_value = models.DecimalField(
        _("valeur faciale (€)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expires_on = models.DateField(_("expire le"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=CodeStatus.choices, default=CodeStatus.IN_STOCK
    )
    status_changed_at = models.DateTimeField(_("statut changé le"), default=timezone.now)
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="codes",
        verbose_name=_("point d'accueil"),
    )
    relay = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consigned_codes",
        verbose_name=_("relais numérique"),
    )
    consignment = models.ForeignKey(
        "connectivity.Consignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="codes",
        verbose_name=_("dépôt au relais"),
    )
    transfer = models.ForeignKey(
        CodeTransfer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="codes",
        verbose_name=_("transfert"),
    )
    relay_sale = models.ForeignKey(
        "connectivity.RelaySale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="codes",
        verbose_name=_("vente au relais"),
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="connectivity_codes",
        verbose_name=_("bénéficiaire"),
    )
    revealed_at = models.DateTimeField(_("code secret montré le"), null=True, blank=True)

    objects = CodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("carte ou code")
        verbose_name_plural = _("cartes et codes")
        ordering = ["offer", "serial"]
        indexes = [
            # The picker: the next code of an offer at a place, soonest expiry first.
            models.Index(
                fields=["offer", "reception_point", "expires_on", "id"],
                condition=Q(status="in_stock"),
                name="code_pick_in_stock",
            ),
            models.Index(
                fields=["relay", "offer", "expires_on", "id"],
                condition=Q(status="consigned"),
                name="code_pick_consigned",
            ),
            models.Index(fields=["reception_point", "status", "offer"], name="code_place_status"),
            models.Index(fields=["relay", "status", "offer"], name="code_relay_status"),
            models.Index(fields=["status", "expires_on"], name="code_status_expiry"),
            models.Index(fields=["beneficiary"], name="code_beneficiary"),
            # The code search, latest change first: for a site, and by status.
            models.Index(
                fields=["reception_point", "-status_changed_at", "-id"], name="code_place_latest"
            ),
            models.Index(fields=["status", "-status_changed_at", "-id"], name="code_status_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                name="code_revealed_never_on_sale",
                condition=Q(revealed_at__isnull=True) | ~Q(status__in=sorted(HELD_STATUSES)),
            ),
            models.CheckConstraint(
                name="code_in_stock_has_a_place",
                condition=~Q(status__in=["in_stock", "reserved"])
                | Q(reception_point__isnull=False),
            ),
            models.CheckConstraint(
                name="code_consigned_has_a_relay",
                condition=~Q(status="consigned")
                | (Q(relay__isnull=False) & Q(consignment__isnull=False)),
            ),
            models.CheckConstraint(
                name="code_in_transit_has_a_transfer",
                condition=~Q(status="in_transit") | Q(transfer__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    def __repr__(self) -> str:  # never the secret, even in a traceback
        return f"<Code {self.pk} {self.serial} {self.status}>"

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_token)


class CodeEvent(models.Model):
    """One move of a card or code: who, when, from, to, why, where. Append-only history."""

    code = models.ForeignKey(
        Code, on_delete=models.PROTECT, related_name="events", verbose_name=_("carte ou code")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="+", verbose_name=_("offre")
    )
    from_status = models.CharField(
        _("statut de départ"), max_length=12, choices=CodeStatus.choices, blank=True
    )
    to_status = models.CharField(_("statut d'arrivée"), max_length=12, choices=CodeStatus.choices)
    at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("point d'accueil"),
    )
    relay = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relais numérique"),
    )

    class Meta:
        verbose_name = _("mouvement de carte ou code")
        verbose_name_plural = _("mouvements de cartes et codes")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["code", "at"], name="code_event_code_at"),
            models.Index(fields=["reception_point", "to_status", "at"], name="code_event_place"),
            models.Index(fields=["relay", "to_status", "at"], name="code_event_relay"),
            models.Index(fields=["to_status", "at"], name="code_event_status_at"),
        ]
        constraints = [
            # A code is sold once, whatever happens to it afterwards (a line that keeps the
            # status, such as a reveal, is not a sale).
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(to_status="sold") & ~Q(from_status="sold"),
                name="code_sold_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code_id}: {self.from_status} → {self.to_status}"


class StockAlert(models.Model):
    """Below this many sellable codes of an offer, the place's stock page raises an alert."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("offre")
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.CASCADE,
        related_name="code_alerts",
        verbose_name=_("point d'accueil"),
    )
    threshold = models.PositiveIntegerField(_("seuil d'alerte"))

    class Meta:
        verbose_name = _("seuil d'alerte de stock")
        verbose_name_plural = _("seuils d'alerte de stock")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "reception_point"], name="stock_alert_one_per_offer_and_site"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}@{self.reception_point_id} < {self.threshold}"
