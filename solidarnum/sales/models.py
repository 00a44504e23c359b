"""The till: tills per reception point, cash sessions, baskets, sales and their lines, refunds
and voids, receipts numbered without gaps and chained by their hashes.

What is sold is never edited nor deleted (ADR 0033): a sale, its lines, a refund and a receipt
refuse `save()` once written and `delete()` always, their querysets refuse `update()` and
`delete()`, and on PostgreSQL triggers refuse UPDATE and DELETE (migration 0002). A correction is
a refund or a void that references the sale. A cash session is written twice: opened, closed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.equipment.enums import DeviceKind, Grade

from .enums import (
    BasketStatus,
    LineKind,
    PaymentMethod,
    ReceiptKind,
    RefundKind,
    SessionStatus,
)

ZERO = Decimal("0.00")


def money(verbose_name: Any, **extra: Any) -> Any:
    return models.DecimalField(verbose_name, max_digits=9, decimal_places=2, **extra)


class AppendOnlyError(Exception):
    """A sale, a line, a refund or a receipt is never changed once written."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Sales records are append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Sales records are append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Sales records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Sales records are append-only.")


# --- Tills and the right to use them -------------------------------------------------------------


class Till(models.Model):
    """A named till of a reception point ("Caisse 1", "Accueil"); a site may have several."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="tills",
        verbose_name=_("point d'accueil"),
    )
    name = models.CharField(_("nom"), max_length=60)
    is_active = models.BooleanField(_("en service"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("caisse")
        verbose_name_plural = _("caisses")
        ordering = ["reception_point", "name"]
        constraints = [
            models.UniqueConstraint(fields=["reception_point", "name"], name="till_name_per_site")
        ]

    def __str__(self) -> str:
        return self.name


class TillRight(models.Model):
    """A volunteer's right to sell at the till of their reception point (staff always have it).
    Given and taken back by the site manager; taking it back ends it, the row stays."""

    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.CASCADE,
        related_name="till_rights",
        verbose_name=_("rattachement"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("donné par"),
    )
    granted_at = models.DateTimeField(_("donné le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("droit de caisse")
        verbose_name_plural = _("droits de caisse")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(revoked_at__isnull=True),
                name="till_right_one_current_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}"


class DeviceMarketPrice(models.Model):
    """The market reference price of a refurbished device of a kind and grade, from a date: what
    the person would have paid elsewhere, for the purchasing power injected."""

    kind = models.CharField(_("type"), max_length=16, choices=DeviceKind.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    valid_from = models.DateField(_("à partir du"))
    amount = money(_("prix de référence du marché (€)"), validators=[MinValueValidator(ZERO)])

    class Meta:
        verbose_name = _("prix de marché d'un appareil")
        verbose_name_plural = _("prix de marché des appareils")
        ordering = ["kind", "grade", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "grade", "valid_from"], name="device_market_price_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.grade} · {self.amount} €"


# --- Cash sessions -------------------------------------------------------------------------------


class CashSession(models.Model):
    """A till's day: opened with the counted float, closed with the counted cash and card total.
    One open session per till (database constraint)."""

    till = models.ForeignKey(
        Till, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("caisse")
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="cash_sessions",
        verbose_name=_("point d'accueil"),
    )
    status = models.CharField(
        _("statut"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ouverte par"),
    )
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    opening_float = money(_("fond de caisse (€)"), validators=[MinValueValidator(ZERO)])
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clôturée par"),
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    expected_cash = money(_("espèces attendues (€)"), null=True, blank=True)
    counted_cash = money(_("espèces comptées (€)"), null=True, blank=True)
    expected_card = money(_("carte attendue (€)"), null=True, blank=True)
    counted_card = money(_("carte relevée au terminal (€)"), null=True, blank=True)
    difference = money(_("écart (€)"), null=True, blank=True)
    comment = models.CharField(_("commentaire de clôture"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("session de caisse")
        verbose_name_plural = _("sessions de caisse")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["reception_point", "-opened_at"], name="cash_session_site"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["till"], condition=Q(status="open"), name="cash_session_one_open_per_till"
            ),
            models.CheckConstraint(
                name="cash_session_closed_is_complete",
                condition=Q(status="open")
                | (
                    Q(closed_at__isnull=False)
                    & Q(closed_by__isnull=False)
                    & Q(counted_cash__isnull=False)
                    & Q(expected_cash__isnull=False)
                    & Q(difference__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.till_id} · {self.opened_at:%d/%m/%Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A closed session is a report: nothing changes it any more.
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == SessionStatus.CLOSED:
                raise AppendOnlyError("A closed cash session is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("A cash session is never deleted.")

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.OPEN

    @classmethod
    def shared(cls, pk: int) -> CashSession:
        """Read the session under a shared row lock (`FOR SHARE` on PostgreSQL): sales and
        refunds of one session go on side by side, and closing it (`FOR UPDATE`) waits for them,
        so that no sale lands in a closed session. SQLite serialises writers anyway."""
        if connection.vendor == "postgresql":
            return next(
                iter(
                    cls.objects.raw("SELECT * FROM sales_cashsession WHERE id = %s FOR SHARE", [pk])
                )
            )
        return cls.objects.get(pk=pk)


# --- Baskets (drafts) ----------------------------------------------------------------------------


class Basket(models.Model):
    """What the counter is putting together for one person, before payment. Its key is the
    idempotency key of the sale: paying the same basket twice returns the first sale."""

    session = models.ForeignKey(
        CashSession,
        on_delete=models.PROTECT,
        related_name="baskets",
        verbose_name=_("session de caisse"),
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.PROTECT,
        related_name="baskets",
        verbose_name=_("bénéficiaire"),
    )
    key = models.UUIDField(_("clé d'idempotence"), unique=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=BasketStatus.choices, default=BasketStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commencé par"),
    )
    created_at = models.DateTimeField(_("commencé le"), default=timezone.now)

    class Meta:
        verbose_name = _("panier")
        verbose_name_plural = _("paniers")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["session", "status"], name="basket_session_status")]

    def __str__(self) -> str:
        return str(self.key)


class BasketItem(models.Model):
    """One thing in a basket: a device (reserved for the person or available at the site) or
    one card or code of an offer, picked from the stock only at payment."""

    basket = models.ForeignKey(
        Basket, on_delete=models.CASCADE, related_name="items", verbose_name=_("panier")
    )
    device = models.ForeignKey(
        "equipment.Device",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appareil"),
    )
    offer = models.ForeignKey(
        "connectivity.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offre"),
    )

    class Meta:
        verbose_name = _("article du panier")
        verbose_name_plural = _("articles du panier")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="basket_item_device_or_offer",
                condition=(Q(device__isnull=False) & Q(offer__isnull=True))
                | (Q(device__isnull=True) & Q(offer__isnull=False)),
            ),
            models.UniqueConstraint(
                fields=["basket", "device"],
                condition=Q(device__isnull=False),
                name="basket_item_device_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.basket_id}: {self.device_id or self.offer_id}"


# --- Sales ---------------------------------------------------------------------------------------


class Sale(AppendOnlyModel):
    """A paid basket. Never edited: a correction is a refund or a void referencing it."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("point d'accueil"),
    )
    session = models.ForeignKey(
        CashSession,
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("session de caisse"),
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("bénéficiaire"),
    )
    # The basket's key: a double click, a retried request or a second tab finds this sale.
    idempotency_key = models.UUIDField(_("clé d'idempotence"), unique=True)
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vendu par"),
    )
    sold_at = models.DateTimeField(_("vendu le"), default=timezone.now)
    payment_method = models.CharField(_("paiement"), max_length=8, choices=PaymentMethod.choices)
    total = money(_("total payé (€)"), validators=[MinValueValidator(ZERO)])
    market_total = money(_("total au prix du marché (€)"), validators=[MinValueValidator(ZERO)])
    tendered = money(_("somme reçue (€)"), null=True, blank=True)
    change_given = money(_("monnaie rendue (€)"), null=True, blank=True)
    free_reason = models.CharField(_("motif de la gratuité"), max_length=255, blank=True)
    override_reason = models.CharField(
        _("motif de la dérogation du responsable"), max_length=255, blank=True
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dérogation accordée par"),
    )

    class Meta:
        verbose_name = _("vente")
        verbose_name_plural = _("ventes")
        ordering = ["-sold_at", "-id"]
        indexes = [
            models.Index(fields=["reception_point", "sold_at"], name="sale_site_at"),
            models.Index(fields=["beneficiary", "sold_at"], name="sale_person_at"),
            models.Index(fields=["session"], name="sale_session"),
        ]
        constraints = [
            models.CheckConstraint(
                name="sale_free_has_reason_and_no_money",
                condition=~Q(payment_method="free") | (~Q(free_reason="") & Q(total=0)),
            ),
            models.CheckConstraint(
                name="sale_cash_change_is_tendered_minus_total",
                condition=~Q(payment_method="cash")
                | (
                    Q(tendered__isnull=False)
                    & Q(tendered__gte=F("total"))
                    & Q(change_given=F("tendered") - F("total"))
                ),
            ),
            models.CheckConstraint(
                name="sale_paid_not_above_market", condition=Q(total__lte=F("market_total"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reception_point_id} · {self.sold_at:%d/%m/%Y %H:%M}"


class SaleLine(AppendOnlyModel):
    """One device or one card or code sold, with its solidarity price, the market reference price
    of that day and what was paid (0 when the sale is free)."""

    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, related_name="lines", verbose_name=_("vente")
    )
    kind = models.CharField(_("type"), max_length=8, choices=LineKind.choices)
    device = models.ForeignKey(
        "equipment.Device",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sale_lines",
        verbose_name=_("appareil"),
    )
    offer = models.ForeignKey(
        "connectivity.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sale_lines",
        verbose_name=_("offre"),
    )
    code = models.ForeignKey(
        "connectivity.Code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sale_lines",
        verbose_name=_("carte ou code"),
    )
    # Copied so that the receipt and the reports never depend on a later rename.
    label = models.CharField(_("libellé"), max_length=160)
    device_kind = models.CharField(_("type d'appareil"), max_length=16, blank=True)
    solidarity_price = money(_("prix solidaire (€)"), validators=[MinValueValidator(ZERO)])
    market_price = money(_("prix de référence du marché (€)"), validators=[MinValueValidator(ZERO)])
    paid = money(_("payé (€)"), validators=[MinValueValidator(ZERO)])
    # Denormalised from the sale for the quota's count and the purchasing-power pages.
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.PROTECT,
        related_name="sale_lines",
        verbose_name=_("bénéficiaire"),
    )
    sold_at = models.DateTimeField(_("vendu le"))

    class Meta:
        verbose_name = _("ligne de vente")
        verbose_name_plural = _("lignes de vente")
        ordering = ["sale", "id"]
        indexes = [
            models.Index(fields=["beneficiary", "offer", "sold_at"], name="sale_line_quota"),
            models.Index(fields=["beneficiary", "device_kind"], name="sale_line_device_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                name="sale_line_device_or_code",
                condition=(
                    Q(kind="device")
                    & Q(device__isnull=False)
                    & Q(offer__isnull=True)
                    & Q(code__isnull=True)
                )
                | (
                    Q(kind="code")
                    & Q(device__isnull=True)
                    & Q(offer__isnull=False)
                    & Q(code__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="sale_line_paid_at_most_solidarity",
                condition=Q(paid__lte=F("solidarity_price")),
            ),
            models.CheckConstraint(
                name="sale_line_solidarity_at_most_market",
                condition=Q(solidarity_price__lte=F("market_price")),
            ),
            models.UniqueConstraint(
                fields=["device"], condition=Q(device__isnull=False), name="sale_line_device_once"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(code__isnull=False), name="sale_line_code_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def saving(self) -> Decimal:
        """The purchasing power injected by this line: market reference price minus price paid."""
        return self.market_price - self.paid


class CodeSwap(AppendOnlyModel):
    """A defective card or code replaced by another of the same offer, for the same line."""

    line = models.ForeignKey(
        SaleLine, on_delete=models.PROTECT, related_name="swaps", verbose_name=_("ligne de vente")
    )
    old_code = models.ForeignKey(
        "connectivity.Code",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("code défectueux"),
    )
    new_code = models.OneToOneField(
        "connectivity.Code",
        on_delete=models.PROTECT,
        related_name="swapped_in",
        verbose_name=_("code de remplacement"),
    )
    reason = models.CharField(_("motif"), max_length=255)
    swapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("remplacé par"),
    )
    swapped_at = models.DateTimeField(_("remplacé le"), default=timezone.now)

    class Meta:
        verbose_name = _("remplacement d'un code défectueux")
        verbose_name_plural = _("remplacements de codes défectueux")
        ordering = ["line", "id"]
        constraints = [
            models.UniqueConstraint(fields=["old_code"], name="code_swap_old_once"),
        ]

    def __str__(self) -> str:
        return f"{self.old_code_id} → {self.new_code_id}"


# --- Refunds and voids ---------------------------------------------------------------------------


class Refund(AppendOnlyModel):
    """Money given back for lines of a sale (a device back under warranty), or the void of a
    whole sale in its open session. Recorded in the session it happens in."""

    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("vente")
    )
    session = models.ForeignKey(
        CashSession,
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("session de caisse"),
    )
    kind = models.CharField(_("type"), max_length=8, choices=RefundKind.choices)
    method = models.CharField(_("rendu en"), max_length=8, choices=PaymentMethod.choices)
    amount = money(_("montant rendu (€)"), validators=[MinValueValidator(ZERO)])
    reason = models.CharField(_("motif"), max_length=255)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fait par"),
    )
    refunded_at = models.DateTimeField(_("le"), default=timezone.now)
    # An exchange: the sale of the replacement device, written in the same transaction; its one
    # receipt ("Ticket d'échange") carries both, and the difference.
    replacement = models.OneToOneField(
        Sale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchanged_from",
        verbose_name=_("vente de remplacement"),
    )

    class Meta:
        verbose_name = _("remboursement ou annulation")
        verbose_name_plural = _("remboursements et annulations")
        ordering = ["-refunded_at", "-id"]
        indexes = [
            models.Index(fields=["session"], name="refund_session"),
            models.Index(fields=["sale"], name="refund_sale"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sale"], condition=Q(kind="void"), name="refund_one_void_per_sale"
            ),
            models.CheckConstraint(name="refund_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(
                name="refund_exchange_has_its_replacement",
                condition=(Q(kind="exchange") & Q(replacement__isnull=False))
                | (~Q(kind="exchange") & Q(replacement__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sale_id}"


class RefundLine(AppendOnlyModel):
    refund = models.ForeignKey(
        Refund, on_delete=models.PROTECT, related_name="lines", verbose_name=_("remboursement")
    )
    line = models.OneToOneField(
        SaleLine,
        on_delete=models.PROTECT,
        related_name="refund_line",
        verbose_name=_("ligne de vente"),
    )
    amount = money(_("montant (€)"), validators=[MinValueValidator(ZERO)])

    class Meta:
        verbose_name = _("ligne remboursée")
        verbose_name_plural = _("lignes remboursées")
        ordering = ["refund", "id"]

    def __str__(self) -> str:
        return f"{self.refund_id}: {self.line_id}"


# --- Receipts ------------------------------------------------------------------------------------


class ReceiptSeries(models.Model):
    """A reception point's receipt prefix ("P19") and the hash of its last receipt: the head of
    the site's chain, locked FOR UPDATE while a receipt is written."""

    reception_point = models.OneToOneField(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="receipt_series",
        verbose_name=_("point d'accueil"),
    )
    prefix = models.CharField(_("préfixe des tickets"), max_length=8, unique=True)
    last_hash = models.CharField(_("empreinte du dernier ticket"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("série de tickets")
        verbose_name_plural = _("séries de tickets")

    def __str__(self) -> str:
        return self.prefix


class ReceiptCounter(models.Model):
    """The last number given at a reception point in a year, locked FOR UPDATE: numbers follow
    each other without a gap, since the number and the receipt commit together."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("point d'accueil"),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    last_number = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("compteur de tickets")
        verbose_name_plural = _("compteurs de tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["reception_point", "year"], name="receipt_counter_per_site_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reception_point_id} {self.year}: {self.last_number}"


class Receipt(AppendOnlyModel):
    """A numbered receipt (sale, refund or void), carrying the hash of the site's previous one."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("point d'accueil"),
    )
    kind = models.CharField(_("type"), max_length=8, choices=ReceiptKind.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    sequence = models.PositiveIntegerField(_("numéro d'ordre"))
    number = models.CharField(_("numéro"), max_length=24, unique=True)
    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("vente")
    )
    refund = models.OneToOneField(
        Refund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipt",
        verbose_name=_("remboursement"),
    )
    amount = money(_("montant (€)"))
    issued_at = models.DateTimeField(_("émis le"), default=timezone.now)
    previous_hash = models.CharField(_("empreinte du ticket précédent"), max_length=64, blank=True)
    hash = models.CharField(_("empreinte"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["reception_point", "id"]
        indexes = [models.Index(fields=["reception_point", "id"], name="receipt_chain_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["reception_point", "year", "sequence"], name="receipt_number_per_site_year"
            ),
            models.UniqueConstraint(
                fields=["sale"], condition=Q(kind="sale"), name="receipt_one_per_sale"
            ),
            models.CheckConstraint(
                name="receipt_refund_kinds_have_a_refund",
                condition=(Q(kind="sale") & Q(refund__isnull=True))
                | (~Q(kind="sale") & Q(refund__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.number
