"""Relais numériques: consigning codes to a relay, taking them back, the sales the relay records
and its monthly statement, validated and paid at the reception point (ADR 0029)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.common.tabular import plain
from solidarnum.connectivity import crypto, lifecycle, permissions, selectors
from solidarnum.connectivity.enums import CodeStatus, StatementStatus
from solidarnum.connectivity.models import Code, Consignment, Offer, RelaySale, RelayStatement
from solidarnum.connectivity.relays.selectors import month_bounds, statement_figures
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

MAX_CONSIGNMENT = 500


def _check_relay(scope: Scope, relay: PartnerStructure) -> None:
    if not relay.is_relay or not relay.is_active:
        raise ServiceError(_("Cette structure n'est pas un relais numérique actif."))
    if not permissions.can_manage_relay(scope, relay.reception_point_id):
        raise ServiceError(
            _("Seule l'équipe du point d'accueil de rattachement gère les dépôts de ce relais.")
        )


@transaction.atomic
def consign_codes(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    relay: PartnerStructure,
    offer: Offer,
    quantity: int,
    note: str = "",
) -> Consignment:
    """Hand `quantity` codes of `offer` from the reception point's stock to a relay attached to
    it. The codes are taken like a sale (skipping codes a counter is selling at that moment), so
    a consigned code can never be sold by the reception point as well."""
    _check_relay(scope, relay)
    if not permissions.is_site_staff_of(scope, reception_point.pk):
        raise ServiceError(_("Seule l'équipe du point d'accueil confie son stock à un relais."))
    if relay.reception_point_id != reception_point.pk:
        raise ServiceError(_("Ce relais est rattaché à un autre point d'accueil."))
    if not 1 <= quantity <= MAX_CONSIGNMENT:
        raise ServiceError(
            _("Indiquez une quantité entre 1 et %(max)s.") % {"max": MAX_CONSIGNMENT}
        )
    codes = lifecycle.pick(lifecycle.sellable_at(offer, reception_point.pk), quantity)
    if len(codes) < quantity:
        raise ServiceError(
            ngettext(
                "Il ne reste que %(count)s « %(offer)s » disponible : rien n'a été confié.",
                "Il ne reste que %(count)s « %(offer)s » disponibles : rien n'a été confié.",
                len(codes),
            )
            % {"count": len(codes), "offer": offer.name}
        )
    consignment = Consignment.objects.create(
        reception_point=reception_point,
        relay=relay,
        offer=offer,
        quantity=quantity,
        sent_by=acting_user,
        note=note[:255],
    )
    events = []
    for code in codes:
        code.relay = relay
        code.consignment = consignment
        events.append(
            lifecycle.event_for(
                code,
                CodeStatus.CONSIGNED,
                acting_user=acting_user,
                reason=_("dépôt %(ref)s") % {"ref": consignment.reference},
            )
        )
    lifecycle.save_moves(codes, events, fields=["relay", "consignment"])
    record(actor=acting_user, action=AuditAction.CREATE, obj=consignment, changed_fields=["codes"])
    return consignment


@transaction.atomic
def return_consigned_codes(
    *, acting_user: User, scope: Scope, relay: PartnerStructure, offer: Offer, quantity: int
) -> int:
    """The relay hands back unsold codes: they return to the reception point's stock."""
    _check_relay(scope, relay)
    codes = lifecycle.pick(
        Code.objects.filter(relay=relay, offer=offer, status=CodeStatus.CONSIGNED), quantity
    )
    if quantity < 1 or len(codes) < quantity:
        raise ServiceError(
            ngettext(
                "Le relais ne détient que %(count)s « %(offer)s » : rien n'a été repris.",
                "Le relais ne détient que %(count)s « %(offer)s » : rien n'a été repris.",
                len(codes),
            )
            % {"count": len(codes), "offer": offer.name}
        )
    events = []
    for code in codes:
        events.append(
            lifecycle.event_for(
                code, CodeStatus.IN_STOCK, acting_user=acting_user, reason=_("repris au relais")
            )
        )
        code.relay = None
        code.reception_point_id = relay.reception_point_id
    lifecycle.save_moves(codes, events, fields=["relay", "reception_point"])
    record(
        actor=acting_user, action=AuditAction.UPDATE, obj=relay, changed_fields=["consigned_codes"]
    )
    return len(codes)


@dataclass(frozen=True)
class SoldCode:
    serial: str
    secret: str  # shown once on the relay's confirmation screen, then never again there


@dataclass(frozen=True)
class RelaySaleResult:
    sale: RelaySale
    codes: list[SoldCode]


def _buyer_key(first_name: str) -> str:
    return plain(first_name)[:80]


@transaction.atomic
def record_relay_sale(
    *,
    acting_user: User,
    scope: Scope,
    offer: Offer,
    quantity: int,
    buyer_first_name: str,
    buyer_birth_year: int,
) -> RelaySaleResult:
    """A sale at the relay: `quantity` of its consigned codes of `offer`, sold at today's
    solidarity price to a buyer named by first name and birth year (ADR 0029). Returns the
    codes with their secrets, to give the buyer now: they are marked as shown."""
    if not permissions.is_operator_of(scope, scope.partner_structure_id):
        raise ServiceError(_("Seul l'opérateur d'un relais enregistre ses ventes."))
    relay_id = scope.partner_structure_id
    assert relay_id is not None
    first_name = " ".join(buyer_first_name.split())
    if not first_name:
        raise ServiceError(_("Le prénom de l'acheteur est obligatoire."))
    this_year = timezone.localdate().year
    if not this_year - 110 <= buyer_birth_year <= this_year - 10:
        raise ServiceError(
            _("L'année de naissance doit être comprise entre %(low)s et %(high)s.")
            % {"low": this_year - 110, "high": this_year - 10}
        )
    if not 1 <= quantity <= 20:
        raise ServiceError(_("Indiquez une quantité entre 1 et 20."))
    price = selectors.price_on(offer.pk, timezone.localdate())
    if price is None or offer.is_withdrawn:
        raise ServiceError(_("Cette offre n'est pas en vente aujourd'hui."))
    key = _buyer_key(first_name)
    if offer.quota_per_30_days is not None:
        since = timezone.now() - timedelta(days=30)
        already = (
            RelaySale.objects.filter(
                relay_id=relay_id,
                offer=offer,
                buyer_key=key,
                buyer_birth_year=buyer_birth_year,
                sold_at__gte=since,
            ).aggregate(n=Sum("quantity"))["n"]
            or 0
        )
        if already + quantity > offer.quota_per_30_days:
            raise ServiceError(
                _(
                    "Quota atteint pour « %(offer)s » : %(quota)s sur 30 jours par personne, "
                    "déjà achetés ici par cette personne : %(already)s."
                )
                % {"offer": offer.name, "quota": offer.quota_per_30_days, "already": already}
            )
    codes = lifecycle.pick(
        Code.objects.filter(relay_id=relay_id, offer=offer, status=CodeStatus.CONSIGNED).exclude(
            expires_on__lt=timezone.localdate()
        ),
        quantity,
    )
    if len(codes) < quantity:
        raise ServiceError(
            ngettext(
                "Il ne vous reste que %(count)s « %(offer)s » : rien n'a été vendu.",
                "Il ne vous reste que %(count)s « %(offer)s » : rien n'a été vendu.",
                len(codes),
            )
            % {"count": len(codes), "offer": offer.name}
        )
    sale = RelaySale.objects.create(
        relay_id=relay_id,
        offer=offer,
        quantity=quantity,
        unit_price=price.solidarity_price,
        total=price.solidarity_price * quantity,
        buyer_first_name=first_name[:60],
        buyer_birth_year=buyer_birth_year,
        buyer_key=key,
        recorded_by=acting_user,
    )
    now = timezone.now()
    events = []
    for code in codes:
        code.relay_sale = sale
        if code.has_secret:
            code.revealed_at = now
        events.append(lifecycle.event_for(code, CodeStatus.SOLD, acting_user=acting_user, at=now))
    lifecycle.save_moves(codes, events, fields=["relay_sale", "revealed_at"])
    record(actor=acting_user, action=AuditAction.CREATE, obj=sale, changed_fields=["codes"])
    sold = [
        SoldCode(
            serial=code.serial, secret=crypto.decrypt(code.secret_token) if code.has_secret else ""
        )
        for code in codes
    ]
    return RelaySaleResult(sale=sale, codes=sold)


@transaction.atomic
def validate_statement(
    *, acting_user: User, scope: Scope, relay: PartnerStructure, month: date
) -> RelayStatement:
    """Freeze a finished month's figures for the relay: what is due to the association."""
    _check_relay(scope, relay)
    start, end = month_bounds(month)
    if end > timezone.localdate():
        raise ServiceError(_("Un relevé se valide une fois le mois terminé."))
    if RelayStatement.objects.filter(relay=relay, month=start).exists():
        raise ServiceError(_("Le relevé de ce mois est déjà validé."))
    figures = statement_figures(relay.pk, start)
    statement = RelayStatement.objects.create(
        relay=relay,
        month=start,
        received=figures.received,
        sold=figures.sold,
        returned=figures.returned,
        left=figures.left,
        amount_due=figures.amount_due,
        validated_by=acting_user,
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=statement,
        changed_fields=["received", "sold", "returned", "left", "amount_due"],
    )
    return statement


@transaction.atomic
def record_payment(
    *,
    acting_user: User,
    scope: Scope,
    statement: RelayStatement,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
) -> RelayStatement:
    statement = (
        RelayStatement.objects.select_for_update().select_related("relay").get(pk=statement.pk)
    )
    _check_relay(scope, statement.relay)
    if statement.status == StatementStatus.PAID:
        raise ServiceError(_("Le paiement de ce relevé est déjà enregistré."))
    if amount <= 0:
        raise ServiceError(_("Le montant payé doit être positif."))
    if paid_on > timezone.localdate():
        raise ServiceError(_("La date de paiement ne peut pas être dans le futur."))
    statement.status = StatementStatus.PAID
    statement.paid_amount = amount
    statement.paid_on = paid_on
    statement.payment_reference = reference[:80]
    statement.payment_recorded_by = acting_user
    statement.save()
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=statement,
        changed_fields=["status", "paid_amount", "paid_on", "payment_reference"],
    )
    return statement
