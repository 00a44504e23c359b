"""Handing packs maraude to a partner structure: the phone, the SIM card and the recharge of each
pack leave the reception point's stock together, or nothing moves.

The three parts are taken like a sale: `SELECT ... FOR UPDATE SKIP LOCKED` on the codes
(`lifecycle.pick`) and on the devices (`equipment.devices.services.give_for_outreach`), inside one
transaction, so two people handing packs at the same moment never take the same part, and a code
a counter is selling is skipped. No person's file is involved: the structure hands the packs to
people it meets.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import lifecycle, permissions
from solidarnum.connectivity.enums import CodeStatus, OfferKind
from solidarnum.connectivity.models import Code, Offer, OutreachPack, PackHandover
from solidarnum.connectivity.models.packs import MAX_PACKS
from solidarnum.equipment.devices.services import give_for_outreach
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction


def _take_codes(offer: Offer, reception_point: ReceptionPoint, quantity: int) -> list[Code]:
    codes = lifecycle.pick(lifecycle.sellable_at(offer, reception_point.pk), quantity)
    if len(codes) < quantity:
        raise ServiceError(
            ngettext(
                "Il ne reste que %(count)s « %(offer)s » disponible : aucun pack n'a été remis.",
                "Il ne reste que %(count)s « %(offer)s » disponibles : aucun pack n'a été remis.",
                len(codes),
            )
            % {"count": len(codes), "offer": offer.name}
        )
    return codes


@transaction.atomic
def hand_packs(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    structure: PartnerStructure,
    quantity: int,
    sim_offer: Offer,
    top_up_offer: Offer,
    note: str = "",
) -> PackHandover:
    """Hand `quantity` packs (a basic phone, a SIM card, a recharge) to `structure`."""
    if not permissions.is_site_staff_of(scope, reception_point.pk):
        raise ServiceError(_("Seule l'équipe du point d'accueil remet des packs de son stock."))
    if not structure.is_active or structure.reception_point_id != reception_point.pk:
        raise ServiceError(
            _("Cette structure n'est pas une structure partenaire active de votre point d'accueil.")
        )
    if not 1 <= quantity <= MAX_PACKS:
        raise ServiceError(
            _("Indiquez un nombre de packs entre 1 et %(max)s.") % {"max": MAX_PACKS}
        )
    if sim_offer.kind != OfferKind.SIM or top_up_offer.kind != OfferKind.TOP_UP:
        raise ServiceError(_("Un pack contient une carte SIM et une recharge."))
    if sim_offer.is_withdrawn or top_up_offer.is_withdrawn:
        raise ServiceError(_("Cette offre est retirée de la vente."))
    sims = _take_codes(sim_offer, reception_point, quantity)
    top_ups = _take_codes(top_up_offer, reception_point, quantity)
    handover = PackHandover.objects.create(
        reception_point=reception_point,
        structure=structure,
        quantity=quantity,
        sim_offer=sim_offer,
        top_up_offer=top_up_offer,
        note=note.strip()[:255],
        handed_by=acting_user,
    )
    reason = _("pack maraude %(ref)s · %(structure)s") % {
        "ref": handover.reference,
        "structure": structure.name,
    }
    devices = give_for_outreach(
        acting_user=acting_user,
        reception_point_id=reception_point.pk,
        count=quantity,
        reason=reason,
    )
    codes = [*sims, *top_ups]
    events = [
        lifecycle.event_for(code, CodeStatus.GIVEN, acting_user=acting_user, reason=reason)
        for code in codes
    ]
    lifecycle.save_moves(codes, events, fields=[])
    OutreachPack.objects.bulk_create(
        OutreachPack(handover=handover, device=device, sim=sim, top_up=top_up)
        for device, sim, top_up in zip(devices, sims, top_ups, strict=True)
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=handover, changed_fields=["packs"])
    return handover
