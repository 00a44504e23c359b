"""Corrections of a sale, which is never edited: a refund of some lines, the void of a whole sale
in its open session, the swap of a defective card or code. Only the site's staff (never a
volunteer) correct, each with a reason; each refund and void has its numbered receipt.

- A device comes back through the existing "retour SAV" path
  (`equipment.devices.services.change_status` to "retour SAV", which checks the warranty).
- A code whose secret was shown to the buyer is never refunded as cash: if it does not work it
  is swapped for another code of the same offer, the old one "défectueux".
- A device under warranty can also be exchanged in one step (`exchange_device`): the return,
  the replacement's sale and the difference on one "Ticket d'échange".
- A code never shown (a SIM card, or a void before the receipt was printed) cannot go back on
  sale either (the code lifecycle has no "vendu → en stock"): it is set aside as "défectueux",
  to check and report to the operator.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import lifecycle as code_lifecycle
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code
from solidarnum.equipment.devices import services as devices
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.sales import permissions
from solidarnum.sales.enums import (
    LineKind,
    PaymentMethod,
    ReceiptKind,
    RefundKind,
    SessionStatus,
)
from solidarnum.sales.models import (
    ZERO,
    CashSession,
    CodeSwap,
    Receipt,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
)
from solidarnum.sales.receipts import chain
from solidarnum.sales.selectors import current_codes
from solidarnum.sales.till.lines import device_line


def _reason(reason: str, what: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < 3:
        raise ServiceError(what)
    return reason[:255]


def _locked_sale(scope: Scope, sale: Sale) -> Sale:
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if not permissions.can_correct(scope, sale.reception_point_id):
        raise ServiceError(
            _("Seule l'équipe du point d'accueil de la vente rembourse ou annule, pas un bénévole.")
        )
    return sale


def _session(scope: Scope, session: CashSession) -> CashSession:
    session = CashSession.shared(session.pk)
    if (
        session.status != SessionStatus.OPEN
        or session.reception_point_id != scope.reception_point_id
    ):
        raise ServiceError(_("Ouvrez une session de caisse de votre point d'accueil d'abord."))
    return session


def _code_back(*, acting_user: User, code: Code, reason: str) -> None:
    code = code_lifecycle.locked(code)
    if code.revealed_at is not None:
        raise ServiceError(
            _(
                "Le code de « %(offer)s » a déjà été montré à l'acheteur : il ne se rembourse "
                "pas. S'il ne marche pas, remplacez-le par un autre code de la même offre."
            )
            % {"offer": code.offer.name}
        )
    code_lifecycle.move(code, CodeStatus.DEFECTIVE, acting_user=acting_user, reason=reason)
    record(actor=acting_user, action=AuditAction.UPDATE, obj=code, changed_fields=["status"])


def _device_back(*, acting_user: User, scope: Scope, device: Device, reason: str) -> None:
    device = Device.objects.get(pk=device.pk)
    if device.status != Status.SOLD:
        raise ServiceError(
            _("L'appareil %(device)s est déjà revenu (%(status)s).")
            % {"device": device.label, "status": Status(device.status).label}
        )
    devices.change_status(
        acting_user=acting_user,
        scope=scope,
        device=device,
        to_status=Status.AFTER_SALES,
        reason=reason,
    )
    record(actor=acting_user, action=AuditAction.UPDATE, obj=device, changed_fields=["status"])


def _write(
    *,
    acting_user: User,
    scope: Scope,
    sale: Sale,
    session: CashSession,
    kind: RefundKind,
    lines: list[SaleLine],
    reason: str,
) -> Refund:
    codes = current_codes(lines)
    for line in lines:
        if line.kind == LineKind.DEVICE and line.device is not None:
            _device_back(acting_user=acting_user, scope=scope, device=line.device, reason=reason)
        elif line.pk in codes:
            _code_back(acting_user=acting_user, code=codes[line.pk], reason=reason)
    amount = sum((line.paid for line in lines), start=ZERO)
    method = (
        sale.payment_method if sale.payment_method != PaymentMethod.FREE else PaymentMethod.CASH
    )
    refund = Refund.objects.create(
        sale=sale,
        session=session,
        kind=kind,
        method=method,
        amount=amount,
        reason=reason,
        refunded_by=acting_user,
    )
    RefundLine.objects.bulk_create(
        [RefundLine(refund=refund, line=line, amount=line.paid) for line in lines]
    )
    chain.issue(sale=sale, refund=refund)
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=refund,
        changed_fields=["sale", "kind", "amount", "reason"],
    )
    return refund


@transaction.atomic
def refund_lines(
    *,
    acting_user: User,
    scope: Scope,
    sale: Sale,
    session: CashSession,
    line_ids: list[int],
    reason: str,
) -> Refund:
    """Give back what was paid for some lines of a sale, in the caller's open session; a device
    goes to "retour SAV" (under warranty only)."""
    sale = _locked_sale(scope, sale)
    session = _session(scope, session)
    reason = _reason(reason, _("Dites pourquoi vous remboursez (par exemple : écran défectueux)."))
    lines = list(
        SaleLine.objects.filter(sale=sale, pk__in=line_ids, refund_line__isnull=True)
        .select_related("device", "code__offer")
        .order_by("id")
    )
    if not lines or len(lines) != len(set(line_ids)):
        raise ServiceError(
            _("Choisissez une ou plusieurs lignes de cette vente pas encore rendues.")
        )
    return _write(
        acting_user=acting_user,
        scope=scope,
        sale=sale,
        session=session,
        kind=RefundKind.REFUND,
        lines=lines,
        reason=reason,
    )


@transaction.atomic
def void_sale(*, acting_user: User, scope: Scope, sale: Sale, reason: str) -> Refund:
    """Cancel a whole sale, only in its own session while it is open (a mistake at the counter);
    afterwards a correction is a refund."""
    sale = _locked_sale(scope, sale)
    session = _session(scope, sale.session)
    reason = _reason(reason, _("Dites pourquoi vous annulez cette vente."))
    if Refund.objects.filter(sale=sale).exists():
        raise ServiceError(
            _("Cette vente a déjà un remboursement ou une annulation : elle ne s'annule plus.")
        )
    lines = list(sale.lines.select_related("device", "code__offer").order_by("id"))
    return _write(
        acting_user=acting_user,
        scope=scope,
        sale=sale,
        session=session,
        kind=RefundKind.VOID,
        lines=lines,
        reason=reason,
    )


@transaction.atomic
def swap_code(*, acting_user: User, scope: Scope, line: SaleLine, reason: str) -> CodeSwap:
    """A card or code that does not work is replaced by another of the same offer, for free; the
    old one becomes "défectueux". The new secret is shown on the receipt, once."""
    line = SaleLine.objects.select_related("sale", "offer").get(pk=line.pk)
    if not permissions.can_correct(scope, line.sale.reception_point_id):
        raise ServiceError(_("Seule l'équipe du point d'accueil de la vente remplace un code."))
    if line.kind != LineKind.CODE or line.offer is None:
        raise ServiceError(_("Seule une carte ou un code se remplace ainsi."))
    if RefundLine.objects.filter(line=line).exists():
        raise ServiceError(_("Cette ligne a été remboursée ou annulée."))
    reason = _reason(reason, _("Dites ce qui ne marche pas avec ce code."))
    old = code_lifecycle.locked(current_codes([line])[line.pk])
    found = code_lifecycle.pick(
        code_lifecycle.sellable_at(line.offer, line.sale.reception_point_id), 1
    )
    if not found:
        raise ServiceError(
            _("Plus aucun « %(offer)s » en stock pour le remplacer.") % {"offer": line.offer.name}
        )
    code_lifecycle.move(old, CodeStatus.DEFECTIVE, acting_user=acting_user, reason=reason)
    new = found[0]
    new.beneficiary_id = line.beneficiary_id
    code_lifecycle.move(
        new,
        CodeStatus.SOLD,
        acting_user=acting_user,
        reason=_("remplace un code défectueux"),
        update_fields=("beneficiary",),
    )
    swap = CodeSwap.objects.create(
        line=line, old_code=old, new_code=new, reason=reason, swapped_by=acting_user
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=swap,
        changed_fields=["old_code", "new_code", "reason"],
    )
    return swap


@transaction.atomic
def exchange_device(
    *,
    acting_user: User,
    scope: Scope,
    sale: Sale,
    line_id: int,
    device: Device,
    session: CashSession,
    method: PaymentMethod,
    reason: str,
    key: uuid.UUID,
) -> Receipt:
    """A defective device swapped at the counter for another of the same kind, in one step: the
    old one goes to "retour SAV" (under warranty only) and its line is given back, the new one is
    sold at the grid's price of the day, the person pays or gets back the difference, and one
    "Ticket d'échange" carries both. The form's key makes a double submission return the first
    exchange. A warranty replacement is not a new purchase: the access period and the
    one-device-of-a-kind rule do not apply to it (ADR 0032); a merged or anonymised file still
    cannot."""
    done = Sale.objects.filter(idempotency_key=key).first()
    if done is not None:
        return Receipt.objects.get(sale=done, kind=ReceiptKind.EXCHANGE)
    sale = _locked_sale(scope, sale)
    done = Sale.objects.filter(idempotency_key=key).first()
    if done is not None:  # the first submission committed while we waited on the sale's lock
        return Receipt.objects.get(sale=done, kind=ReceiptKind.EXCHANGE)
    session = _session(scope, session)
    reason = _reason(reason, _("Dites ce qui ne marche pas avec l'appareil rendu."))
    old = (
        SaleLine.objects.filter(sale=sale, pk=line_id, refund_line__isnull=True)
        .select_related("device")
        .first()
    )
    if old is None or old.kind != LineKind.DEVICE or old.device is None:
        raise ServiceError(_("Choisissez un appareil de cette vente pas encore rendu."))
    if device.reception_point_id != sale.reception_point_id:
        raise ServiceError(_("Cet appareil n'est pas dans ce point d'accueil."))
    if device.pk == old.device_id or device.kind != old.device_kind:
        raise ServiceError(
            _("L'appareil de remplacement doit être un autre appareil du même type (%(kind)s).")
            % {"kind": old.device.get_kind_display()}
        )
    if method not in (PaymentMethod.CASH, PaymentMethod.CARD):
        raise ServiceError(_("Choisissez comment la différence est réglée : espèces ou carte."))
    person = Beneficiary.objects.select_for_update().get(pk=sale.beneficiary_id)
    if person.merged_into_id is not None or person.anonymised_at is not None:
        raise ServiceError(_("Ce dossier est fusionné ou anonymisé : l'échange est impossible."))
    _device_back(acting_user=acting_user, scope=scope, device=old.device, reason=reason)
    now = timezone.now()
    new_line = device_line(
        acting_user=acting_user,
        scope=scope,
        device=device,
        beneficiary=person,
        day=timezone.localdate(now),
    )
    was_free = sale.payment_method == PaymentMethod.FREE
    new_line.paid = ZERO if was_free else new_line.solidarity_price
    replacement = Sale.objects.create(
        reception_point_id=sale.reception_point_id,
        session=session,
        beneficiary=person,
        idempotency_key=key,
        sold_by=acting_user,
        sold_at=now,
        payment_method=PaymentMethod.FREE if was_free else method,
        total=new_line.paid,
        market_total=new_line.market_price,
        tendered=new_line.paid if method == PaymentMethod.CASH and not was_free else None,
        change_given=ZERO if method == PaymentMethod.CASH and not was_free else None,
        free_reason=(
            _("Échange de l'appareil de la vente %(sale)s") % {"sale": sale.pk} if was_free else ""
        ),
    )
    new_line.sale = replacement
    new_line.beneficiary = person
    new_line.sold_at = now
    new_line.save()
    refund = Refund.objects.create(
        sale=sale,
        session=session,
        kind=RefundKind.EXCHANGE,
        method=method,
        amount=old.paid,
        reason=reason,
        refunded_by=acting_user,
        refunded_at=now,
        replacement=replacement,
    )
    RefundLine.objects.create(refund=refund, line=old, amount=old.paid)
    receipt = chain.issue(sale=replacement, refund=refund)
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=refund,
        changed_fields=["sale", "kind", "amount", "reason", "replacement"],
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=replacement,
        changed_fields=["beneficiary", "payment_method", "total", "lines"],
    )
    return receipt
