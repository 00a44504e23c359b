"""Cards and codes sent from one reception point to another: sent, received, discrepancy.

As for devices (equipment.logistics), the codes travel "en transit" and the receiving point
counts what arrived; what is missing is set aside ("défectueux", with the reason) so that it can
never be sold, and the transfer says there was a discrepancy.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import lifecycle, permissions
from solidarnum.connectivity.enums import CodeStatus, CodeTransferStatus
from solidarnum.connectivity.models import Code, CodeTransfer, Offer
from solidarnum.network.models import ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

MAX_TRANSFER = 2000


@transaction.atomic
def send_codes(
    *,
    acting_user: User,
    scope: Scope,
    from_point: ReceptionPoint,
    to_point: ReceptionPoint,
    offer: Offer,
    quantity: int,
) -> CodeTransfer:
    if not permissions.is_site_staff_of(scope, from_point.pk):
        raise ServiceError(_("Seule l'équipe du point d'accueil envoie ses cartes et codes."))
    if from_point.pk == to_point.pk:
        raise ServiceError(_("Choisissez un autre point d'accueil que le vôtre."))
    if not 1 <= quantity <= MAX_TRANSFER:
        raise ServiceError(_("Indiquez une quantité entre 1 et %(max)s.") % {"max": MAX_TRANSFER})
    codes = lifecycle.pick(lifecycle.sellable_at(offer, from_point.pk), quantity)
    if len(codes) < quantity:
        raise ServiceError(
            ngettext(
                "Il ne reste que %(count)s « %(offer)s » disponible : rien n'a été envoyé.",
                "Il ne reste que %(count)s « %(offer)s » disponibles : rien n'a été envoyé.",
                len(codes),
            )
            % {"count": len(codes), "offer": offer.name}
        )
    transfer = CodeTransfer.objects.create(
        from_point=from_point, to_point=to_point, quantity=quantity, sent_by=acting_user
    )
    events = []
    for code in codes:
        code.transfer = transfer
        events.append(
            lifecycle.event_for(
                code,
                CodeStatus.IN_TRANSIT,
                acting_user=acting_user,
                reason=_("transfert %(ref)s") % {"ref": transfer.reference},
            )
        )
    lifecycle.save_moves(codes, events, fields=["transfer"])
    record(actor=acting_user, action=AuditAction.CREATE, obj=transfer, changed_fields=["codes"])
    return transfer


@transaction.atomic
def receive_codes(
    *,
    acting_user: User,
    scope: Scope,
    transfer: CodeTransfer,
    received: int,
    discrepancy_note: str = "",
) -> CodeTransfer:
    """`received` of the transfer's codes arrived; the others are set aside as missing."""
    transfer = CodeTransfer.objects.select_for_update().get(pk=transfer.pk)
    if not permissions.is_site_staff_of(scope, transfer.to_point_id):
        raise ServiceError(
            _("Seule l'équipe du point d'accueil de destination reçoit ce transfert.")
        )
    if transfer.status != CodeTransferStatus.IN_TRANSIT:
        raise ServiceError(_("Ce transfert est déjà reçu."))
    if not 0 <= received <= transfer.quantity:
        raise ServiceError(
            _("Indiquez un nombre reçu entre 0 et %(max)s.") % {"max": transfer.quantity}
        )
    missing = transfer.quantity - received
    note = " ".join(discrepancy_note.split())
    if missing and not note:
        raise ServiceError(_("Il manque des codes : décrivez l'écart constaté."))
    codes = list(
        Code.objects.select_for_update()
        .filter(transfer=transfer, status=CodeStatus.IN_TRANSIT)
        .order_by("id")
    )
    events = []
    for index, code in enumerate(codes):
        if index < received:
            events.append(
                lifecycle.event_for(
                    code, CodeStatus.IN_STOCK, acting_user=acting_user, reason=transfer.reference
                )
            )
            code.reception_point_id = transfer.to_point_id
        else:
            events.append(
                lifecycle.event_for(
                    code,
                    CodeStatus.DEFECTIVE,
                    acting_user=acting_user,
                    reason=_("manquant à la réception du transfert %(ref)s")
                    % {"ref": transfer.reference},
                )
            )
    for code, event in zip(codes, events, strict=True):
        event.reception_point_id = code.reception_point_id
    lifecycle.save_moves(codes, events, fields=["reception_point"])
    transfer.status = CodeTransferStatus.DISCREPANCY if missing else CodeTransferStatus.RECEIVED
    transfer.received_by = acting_user
    transfer.received_at = timezone.now()
    transfer.discrepancy_note = note[:500]
    transfer.save()
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=transfer,
        changed_fields=["status", "received_by", "received_at", "discrepancy_note"],
    )
    return transfer
