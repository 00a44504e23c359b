"""The sale screen's writes: a basket for a person, its items, and the payment that turns it into
a sale with its receipt.

`sell_basket` is the one place money comes in. In one transaction, locks taken in this order
(every writer of the till takes them in the same order, so none waits on another in a circle):

1. the basket row: a double click, a retried request or a second tab waits here, then finds the
   sale the first one made (the basket's key is the sale's unique idempotency key);
2. the session row, shared (`FOR SHARE`): sales of one session go on side by side, and a
   session being closed (`FOR UPDATE`) takes no more sales;
3. the person's row: two tills selling to one person cannot both pass a quota;
4. each device (`equipment.reservations.services.reserve` / `record_sale` lock it): the last
   device goes to one sale, the others are refused;
5. each card or code, taken by `connectivity.codes.services.take_next_code` (SKIP LOCKED): two
   counters take two different codes, and a third finds the next one;
6. the site's receipt series and the year's counter (`receipts.chain.issue`), last, so that the
   one lock every sale of a site waits on is held only for the receipt's few writes.

Any refusal raises `ServiceError` and the transaction rolls back: nothing is half-sold.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.codes.services import take_next_code
from solidarnum.connectivity.enums import OfferKind
from solidarnum.connectivity.models import Offer
from solidarnum.connectivity.selectors import price_on
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device
from solidarnum.equipment.selectors import price_for
from solidarnum.network.models import ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.sales import eligibility, permissions
from solidarnum.sales.enums import BasketStatus, LineKind, PaymentMethod, SessionStatus
from solidarnum.sales.models import (
    ZERO,
    Basket,
    BasketItem,
    CashSession,
    Sale,
    SaleLine,
)
from solidarnum.sales.receipts import chain
from solidarnum.sales.till import lines as lines_module

CONNECTING_KINDS = frozenset({OfferKind.SIM, OfferKind.TOP_UP, OfferKind.DATA})
CENT = Decimal("0.01")


# --- Baskets -------------------------------------------------------------------------------------


def _open_session_for_sale(scope: Scope, session: CashSession) -> None:
    if not permissions.can_sell(scope, session.reception_point_id):
        raise ServiceError(_("Vous ne pouvez pas vendre à la caisse de ce point d'accueil."))
    if session.status != SessionStatus.OPEN:
        raise ServiceError(
            _("Cette session de caisse est clôturée : ouvrez une nouvelle session pour vendre.")
        )


def _editable(scope: Scope, basket: Basket) -> Basket:
    basket = (
        Basket.objects.select_for_update()
        .select_related("session", "beneficiary")
        .get(pk=basket.pk)
    )
    _open_session_for_sale(scope, basket.session)
    if basket.status != BasketStatus.OPEN:
        raise ServiceError(_("Ce panier est déjà payé ou abandonné : commencez-en un nouveau."))
    return basket


@transaction.atomic
def start_basket(
    *, acting_user: User, scope: Scope, session: CashSession, beneficiary: Beneficiary
) -> Basket:
    """A new basket for a person at an open session of the caller's site."""
    _open_session_for_sale(scope, session)
    if beneficiary.reception_point_id != session.reception_point_id:
        raise ServiceError(_("Cette personne est suivie par un autre point d'accueil."))
    basket = Basket.objects.create(
        session=session, beneficiary=beneficiary, key=uuid.uuid4(), created_by=acting_user
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=basket,
        changed_fields=["beneficiary", "session"],
    )
    return basket


@transaction.atomic
def add_device(*, acting_user: User, scope: Scope, basket: Basket, device: Device) -> BasketItem:
    """Put a device in the basket: the one reserved for the person, or one available here."""
    basket = _editable(scope, basket)
    if device.reception_point_id != basket.session.reception_point_id:
        raise ServiceError(_("Cet appareil n'est pas dans ce point d'accueil."))
    reserved_for_them = (
        device.status == Status.RESERVED and device.reserved_for_id == basket.beneficiary_id
    )
    if not reserved_for_them and device.status != Status.AVAILABLE:
        raise ServiceError(
            _("Cet appareil n'est pas disponible (%(status)s) : choisissez-en un autre.")
            % {"status": Status(device.status).label}
        )
    if not reserved_for_them and not permissions.is_staff_of(scope, device.reception_point_id):
        raise ServiceError(
            _(
                "Un bénévole vend l'appareil réservé pour la personne. Pour un autre appareil, "
                "demandez à un membre de l'équipe."
            )
        )
    if not device.grade or price_for(device.kind, device.grade) is None:
        raise ServiceError(_("Aucun prix solidaire n'est fixé pour ce type et ce grade."))
    item, _created = BasketItem.objects.get_or_create(basket=basket, device=device)
    record(actor=acting_user, action=AuditAction.UPDATE, obj=basket, changed_fields=["items"])
    return item


@transaction.atomic
def add_offer(*, acting_user: User, scope: Scope, basket: Basket, offer: Offer) -> BasketItem:
    """Put one card or code of an offer in the basket (the code is taken at payment)."""
    basket = _editable(scope, basket)
    if offer.is_withdrawn:
        raise ServiceError(
            _("L'offre « %(offer)s » est retirée de la vente.") % {"offer": offer.name}
        )
    if price_on(offer.pk, timezone.localdate()) is None:
        raise ServiceError(
            _("L'offre « %(offer)s » n'a pas de prix à ce jour.") % {"offer": offer.name}
        )
    item = BasketItem.objects.create(basket=basket, offer=offer)
    record(actor=acting_user, action=AuditAction.UPDATE, obj=basket, changed_fields=["items"])
    return item


@transaction.atomic
def remove_item(*, acting_user: User, scope: Scope, item: BasketItem) -> None:
    basket = _editable(scope, item.basket)
    BasketItem.objects.filter(pk=item.pk, basket=basket).delete()
    record(actor=acting_user, action=AuditAction.UPDATE, obj=basket, changed_fields=["items"])


@transaction.atomic
def abandon_basket(*, acting_user: User, scope: Scope, basket: Basket) -> None:
    """The person leaves without paying: the basket is kept, marked abandoned."""
    basket = _editable(scope, basket)
    basket.status = BasketStatus.ABANDONED
    basket.save(update_fields=["status"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=basket, changed_fields=["status"])


# --- The sale ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payment:
    method: PaymentMethod
    tendered: Decimal | None = None  # cash handed over
    free_reason: str = ""


def _check_eligibility(
    *,
    scope: Scope,
    beneficiary: Beneficiary,
    items: list[BasketItem],
    override_reason: str,
) -> str:
    """Refuse what the rules refuse; return the override reason kept on the sale."""
    wanted = eligibility.Wanted(
        offer_ids=tuple(i.offer_id for i in items if i.offer_id is not None),
        device_kinds=tuple(i.device.kind for i in items if i.device is not None),
    )
    refusals = eligibility.decide(eligibility.facts_for(beneficiary), wanted)
    blocking = [r for r in refusals if not r.overridable]
    overridable = [r for r in refusals if r.overridable]
    if blocking:
        raise ServiceError(" ".join(r.message for r in blocking))
    if not overridable:
        return ""
    if not override_reason:
        raise ServiceError(" ".join(r.message for r in overridable))
    if not permissions.is_manager_of(scope, beneficiary.reception_point_id):
        raise ServiceError(
            _("Seul le responsable du point d'accueil peut accorder cette dérogation.")
        )
    return override_reason


def _code_line(
    *,
    acting_user: User,
    scope: Scope,
    offer: Offer,
    beneficiary: Beneficiary,
    place: ReceptionPoint,
) -> SaleLine:
    """The next code of the offer, taken by connectivity's `take_next_code` (SKIP LOCKED), its
    price of the day with it. The till counts quotas on its own lines (`eligibility`) and writes
    one timeline entry for the basket (`_effects`)."""
    taken = take_next_code(
        acting_user=acting_user,
        scope=scope,
        offer=offer,
        reception_point=place,
        beneficiary=beneficiary,
        on_timeline=False,
        reason=_("vendu à la caisse"),
    )
    return SaleLine(
        kind=LineKind.CODE,
        offer=offer,
        code_id=taken.code_id,
        label=offer.name,
        solidarity_price=taken.solidarity_price,
        market_price=taken.market_price,
    )


def _settle(payment: Payment, total: Decimal) -> tuple[Decimal | None, Decimal | None, str]:
    """The tendered amount, the change and the free reason, or a refusal."""
    if payment.method == PaymentMethod.CASH:
        if payment.tendered is None:
            raise ServiceError(_("Indiquez la somme reçue en espèces."))
        tendered = Decimal(payment.tendered).quantize(CENT)
        if tendered < total:
            raise ServiceError(
                _("La somme reçue (%(tendered)s €) est inférieure au total (%(total)s €).")
                % {"tendered": _euros(tendered), "total": _euros(total)}
            )
        return tendered, tendered - total, ""
    if payment.method == PaymentMethod.FREE:
        reason = " ".join(payment.free_reason.split())
        if len(reason) < 3:
            raise ServiceError(
                _("Une remise gratuite demande un motif : un pack, ou la décision du responsable.")
            )
        return None, None, reason[:255]
    if payment.method == PaymentMethod.CARD:
        return None, None, ""
    raise ServiceError(_("Choisissez un mode de paiement."))


def _euros(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


@transaction.atomic
def sell_basket(
    *,
    acting_user: User,
    scope: Scope,
    basket_key: uuid.UUID | str,
    payment: Payment,
    override_reason: str = "",
) -> Sale:
    """Pay a basket: the sale, its lines, the devices sold, the codes taken, the receipt. The same
    basket paid twice returns the first sale (the key is unique)."""
    existing = Sale.objects.filter(idempotency_key=basket_key).first()
    if existing is not None:
        return existing
    basket = Basket.objects.select_for_update(of=("self",)).filter(key=basket_key).first()
    if basket is None:
        raise ServiceError(_("Ce panier n'existe pas : recommencez la vente."))
    existing = Sale.objects.filter(idempotency_key=basket.key).first()
    if existing is not None:  # the first submission committed while we waited on the basket
        return existing
    if basket.status != BasketStatus.OPEN:
        raise ServiceError(_("Ce panier a été abandonné : commencez-en un nouveau."))
    session = CashSession.shared(basket.session_id)
    _open_session_for_sale(scope, session)
    beneficiary = Beneficiary.objects.select_for_update().get(pk=basket.beneficiary_id)
    items = list(basket.items.select_related("device", "offer").order_by("id"))
    if not items:
        raise ServiceError(_("Le panier est vide : ajoutez un appareil, une carte ou un code."))
    override_reason = " ".join(override_reason.split())[:255]
    override = _check_eligibility(
        scope=scope, beneficiary=beneficiary, items=items, override_reason=override_reason
    )
    now = timezone.now()
    day = timezone.localdate(now)
    lines: list[SaleLine] = []
    for item in items:
        if item.device is not None:
            lines.append(
                lines_module.device_line(
                    acting_user=acting_user,
                    scope=scope,
                    device=item.device,
                    beneficiary=beneficiary,
                    day=day,
                )
            )
        elif item.offer is not None:
            lines.append(
                _code_line(
                    acting_user=acting_user,
                    scope=scope,
                    offer=item.offer,
                    beneficiary=beneficiary,
                    place=session.reception_point,
                )
            )
    free = payment.method == PaymentMethod.FREE
    for line in lines:
        line.paid = ZERO if free else line.solidarity_price
    total = sum((line.paid for line in lines), start=ZERO)
    tendered, change, free_reason = _settle(payment, total)
    sale = Sale.objects.create(
        reception_point_id=session.reception_point_id,
        session=session,
        beneficiary=beneficiary,
        idempotency_key=basket.key,
        sold_by=acting_user,
        sold_at=now,
        payment_method=payment.method,
        total=total,
        market_total=sum((line.market_price for line in lines), start=ZERO),
        tendered=tendered,
        change_given=change,
        free_reason=free_reason,
        override_reason=override,
        override_by=acting_user if override else None,
    )
    for line in lines:
        line.sale = sale
        line.beneficiary = beneficiary
        line.sold_at = now
    SaleLine.objects.bulk_create(lines)
    _effects(acting_user=acting_user, sale=sale, lines=lines, beneficiary=beneficiary)
    chain.issue(sale=sale)
    basket.status = BasketStatus.SOLD
    basket.save(update_fields=["status"])
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=sale,
        changed_fields=["beneficiary", "payment_method", "total", "lines"],
    )
    return sale


def _effects(
    *, acting_user: User, sale: Sale, lines: list[SaleLine], beneficiary: Beneficiary
) -> None:
    """The person's file and timeline: "Équipement obtenu" with the first device (the entry is
    written by `record_sale`), "Connexion obtenue" with the first SIM card or code; the file's
    `is_equipped` / `is_connected` set once, on the first such sale. A later refund or void does
    not unset them: the person did get equipped or connected (ADR 0032)."""
    codes = [line for line in lines if line.kind == LineKind.CODE and line.offer is not None]
    connecting = [line for line in codes if line.offer and line.offer.kind in CONNECTING_KINDS]
    if codes:
        add_entry(
            beneficiary=beneficiary,
            kind="sales.connection_obtained",
            summary=_("%(offers)s obtenu à la caisse")
            % {"offers": ", ".join(line.label for line in codes)},
            actor=acting_user,
            milestone=Milestone.CONNECTED if connecting else "",
            obj=sale,
            at=sale.sold_at,
        )
    reached: dict[str, bool] = {}
    if not beneficiary.is_equipped and any(line.kind == LineKind.DEVICE for line in lines):
        reached["is_equipped"] = True
    if not beneficiary.is_connected and connecting:
        reached["is_connected"] = True
    if reached:
        # The caller holds the file's row lock (`sell_basket`).
        Beneficiary.objects.filter(pk=beneficiary.pk).update(**reached)
        for field, value in reached.items():
            setattr(beneficiary, field, value)
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=beneficiary,
            changed_fields=list(reached),
        )
