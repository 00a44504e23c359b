"""The code stock's writes: taking the next code for a sale (what the till calls), its receipt,
"révéler", a defective or expired code.

`take_next_code` is the till's entry point. It picks the next sellable code of an offer at a
reception point with `SELECT … FOR UPDATE SKIP LOCKED`: two counters calling it at the same
moment lock two different rows, and a third finds the next one, never waits on them. A code is
sold once: the database refuses a second "vendu" line in a code's history
(`code_sold_once`). The secret code is never in what it returns: the till asks for it once, for
the receipt, with `secret_for_receipt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import crypto, lifecycle, permissions, selectors
from solidarnum.connectivity.enums import FINAL_STATUSES, CodeStatus, OfferKind
from solidarnum.connectivity.models import Code, CodeEvent, Offer, StockAlert
from solidarnum.network.models import ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

# Offers whose first code sets the person's "Connexion obtenue" milestone.
CONNECTING_KINDS = frozenset({OfferKind.SIM, OfferKind.TOP_UP, OfferKind.DATA})


@dataclass(frozen=True)
class TakenCode:
    """A code taken for a sale, as the till reads it: never the secret."""

    code_id: int
    serial: str
    offer_id: int
    offer_name: str
    kind: OfferKind
    status: CodeStatus
    face_value: Decimal | None
    expires_on: date | None
    solidarity_price: Decimal
    market_price: Decimal
    has_secret: bool


def _connected(*, code: Code, beneficiary: Beneficiary, acting_user: User) -> None:
    offer = code.offer
    add_entry(
        beneficiary=beneficiary,
        kind="connectivity.code_obtained",
        summary=_("%(offer)s obtenu") % {"offer": offer.name},
        actor=acting_user,
        milestone=Milestone.CONNECTED if offer.kind in CONNECTING_KINDS else "",
        obj=code,
    )


@transaction.atomic
def take_next_code(
    *,
    acting_user: User,
    scope: Scope,
    offer: Offer,
    reception_point: ReceptionPoint,
    beneficiary: Beneficiary | None = None,
    hold: bool = False,
    on_timeline: bool = True,
    reason: str = "",
) -> TakenCode:
    """Take the next sellable code of `offer` at `reception_point`: sold to `beneficiary` (or to
    an anonymous buyer), or only reserved (`hold=True`) until `confirm_code` or `release_code`.
    Raises ServiceError when none is left, the offer is withdrawn or has no price, or the caller
    may not sell codes there (`permissions.can_sell_codes`: the site's staff, or a volunteer with
    the till right).

    A person's quota per offer is not counted here: the till, the one place a person obtains
    codes, decides it before taking them (`sales.eligibility`, on the sale lines that still
    stand, so that a voided or refunded line gives its quota back). The till passes
    `on_timeline=False` and writes one timeline entry for the whole basket."""
    if not permissions.can_sell_codes(scope, reception_point.pk):
        raise ServiceError(
            _("Seule l'équipe de caisse de ce point d'accueil vend ses cartes et codes.")
        )
    if offer.is_withdrawn:
        raise ServiceError(
            _("L'offre « %(offer)s » est retirée de la vente.") % {"offer": offer.name}
        )
    today = timezone.localdate()
    price = selectors.price_on(offer.pk, today)
    if price is None:
        raise ServiceError(
            _("L'offre « %(offer)s » n'a pas de prix à ce jour.") % {"offer": offer.name}
        )
    found = lifecycle.pick(lifecycle.sellable_at(offer, reception_point.pk), 1)
    if not found:
        raise ServiceError(
            _("Plus aucun « %(offer)s » disponible à %(place)s.")
            % {"offer": offer.name, "place": reception_point.name}
        )
    code = found[0]
    code.offer = offer
    code.beneficiary = beneficiary
    to_status = CodeStatus.RESERVED if hold else CodeStatus.SOLD
    lifecycle.move(
        code, to_status, acting_user=acting_user, reason=reason, update_fields=("beneficiary",)
    )
    if beneficiary is not None and not hold and on_timeline:
        _connected(code=code, beneficiary=beneficiary, acting_user=acting_user)
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=code,
        changed_fields=["status", "beneficiary"] if beneficiary else ["status"],
    )
    return TakenCode(
        code_id=code.pk,
        serial=code.serial,
        offer_id=offer.pk,
        offer_name=offer.name,
        kind=OfferKind(offer.kind),
        status=to_status,
        face_value=code.face_value,
        expires_on=code.expires_on,
        solidarity_price=price.solidarity_price,
        market_price=price.market_price,
        has_secret=code.has_secret,
    )


def _reserved(scope: Scope, code_id: int) -> Code:
    code = Code.objects.select_for_update().select_related(None).filter(pk=code_id).first()
    if code is None or not permissions.is_site_staff_of(scope, code.reception_point_id):
        raise ServiceError(_("Cette carte ou ce code n'existe pas dans votre point d'accueil."))
    if code.status != CodeStatus.RESERVED:
        raise ServiceError(_("Cette carte ou ce code n'est plus réservé."))
    return code


@transaction.atomic
def confirm_code(*, acting_user: User, scope: Scope, code_id: int) -> None:
    """The reserved code is sold (the till's payment went through)."""
    code = _reserved(scope, code_id)
    lifecycle.move(code, CodeStatus.SOLD, acting_user=acting_user)
    if code.beneficiary_id is not None:
        _connected(
            code=Code.objects.select_related("offer", "beneficiary").get(pk=code.pk),
            beneficiary=Beneficiary.objects.get(pk=code.beneficiary_id),
            acting_user=acting_user,
        )
    record(actor=acting_user, action=AuditAction.UPDATE, obj=code, changed_fields=["status"])


@transaction.atomic
def release_code(*, acting_user: User, scope: Scope, code_id: int, reason: str = "") -> None:
    """The reserved code goes back on sale (the sale did not go through). A reserved code was
    never shown: its secret is printed only once it is sold."""
    code = _reserved(scope, code_id)
    code.beneficiary = None
    lifecycle.move(
        code,
        CodeStatus.IN_STOCK,
        acting_user=acting_user,
        reason=reason,
        update_fields=("beneficiary",),
    )
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=code,
        changed_fields=["status", "beneficiary"],
    )


@transaction.atomic
def secret_for_receipt(*, acting_user: User, scope: Scope, code_id: int) -> str:
    """The secret code of a code just sold, for its receipt: once. Afterwards only "révéler".
    Whoever may sell codes there may print it (`permissions.can_sell_codes`)."""
    code = Code.objects.select_for_update().filter(pk=code_id).first()
    if code is None or not permissions.can_sell_codes(scope, code.reception_point_id):
        raise ServiceError(_("Cette carte ou ce code n'existe pas dans votre point d'accueil."))
    if code.status == CodeStatus.RESERVED:
        raise ServiceError(_("Le code secret s'imprime une fois la vente confirmée."))
    if code.status != CodeStatus.SOLD or not code.has_secret:
        raise ServiceError(_("Ce code n'a pas de code secret à imprimer."))
    if code.is_revealed:
        raise ServiceError(
            _("Le code secret a déjà été imprimé : utilisez « révéler » pour le montrer à nouveau.")
        )
    code.revealed_at = timezone.now()
    code.save(update_fields=["revealed_at"])
    record(actor=acting_user, action=AuditAction.VIEW, obj=code, changed_fields=["secret_token"])
    return crypto.decrypt(code.secret_token)


@transaction.atomic
def reveal_code(*, acting_user: User, scope: Scope, code: Code, reason: str) -> str:
    """Show a code's secret to staff of its site, audited, with the reason. Only for a code that
    has left the stock (sold, given, defective, expired): a code in stock is never revealed, so
    that a revealed code is never sold."""
    if not permissions.is_site_staff_of(scope, code.reception_point_id):
        raise ServiceError(_("Seule l'équipe du point d'accueil de ce code peut le révéler."))
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ServiceError(_("Dites en quelques mots pourquoi vous révélez ce code."))
    code = lifecycle.locked(code)
    if not code.has_secret:
        raise ServiceError(_("Cette carte n'a pas de code secret."))
    if code.status not in FINAL_STATUSES:
        raise ServiceError(
            _(
                "Un code encore en stock ne se révèle pas : il ne pourrait plus être vendu. "
                "Déclarez-le défectueux d'abord s'il pose problème."
            )
        )
    code.revealed_at = code.revealed_at or timezone.now()
    code.save(update_fields=["revealed_at"])
    CodeEvent.objects.create(
        code=code,
        offer_id=code.offer_id,
        from_status=code.status,
        to_status=code.status,
        actor=acting_user,
        reason=(_("code secret révélé : %(reason)s") % {"reason": reason})[:255],
        reception_point_id=code.reception_point_id,
        relay_id=code.relay_id,
    )
    record(actor=acting_user, action=AuditAction.VIEW, obj=code, changed_fields=["secret_token"])
    return crypto.decrypt(code.secret_token)


@transaction.atomic
def declare_defective(*, acting_user: User, scope: Scope, code: Code, reason: str) -> None:
    """A faulty card or code: set aside, to replace and report to the operator."""
    allowed = permissions.is_site_staff_of(scope, code.reception_point_id) or (
        permissions.is_operator_of(scope, code.relay_id) and code.status == CodeStatus.CONSIGNED
    )
    if not allowed:
        raise ServiceError(_("Seule l'équipe qui détient ce code peut le déclarer défectueux."))
    reason = " ".join(reason.split())
    if not reason:
        raise ServiceError(_("Dites ce qui ne va pas avec cette carte ou ce code."))
    code = lifecycle.locked(code)
    lifecycle.move(code, CodeStatus.DEFECTIVE, acting_user=acting_user, reason=reason)
    record(actor=acting_user, action=AuditAction.UPDATE, obj=code, changed_fields=["status"])


@transaction.atomic
def expire_codes(*, today: date | None = None) -> int:
    """The daily task: codes held past their expiry date become "expiré". Returns how many."""
    today = today or timezone.localdate()
    held = Q(status__in=[CodeStatus.IN_STOCK, CodeStatus.CONSIGNED])
    codes = lifecycle.pick(Code.objects.filter(held, expires_on__lt=today), 100_000)
    events = [
        lifecycle.event_for(code, CodeStatus.EXPIRED, acting_user=None, reason=_("date dépassée"))
        for code in codes
    ]
    lifecycle.save_moves(codes, events, fields=[])
    if codes:
        record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="connectivity.code",
            changed_fields=["status"],
        )
    return len(codes)


@transaction.atomic
def set_stock_alert(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    offer: Offer,
    threshold: int,
) -> None:
    """Below `threshold` sellable codes of `offer`, the place's stock page raises an alert (0
    removes the alert)."""
    if not permissions.is_site_staff_of(scope, reception_point.pk):
        raise ServiceError(_("Seule l'équipe du point d'accueil règle ses seuils d'alerte."))
    if threshold <= 0:
        StockAlert.objects.filter(offer=offer, reception_point=reception_point).delete()
    else:
        StockAlert.objects.update_or_create(
            offer=offer, reception_point=reception_point, defaults={"threshold": threshold}
        )
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=reception_point,
        changed_fields=["code_alerts"],
    )
