"""Reads for packs maraude: the handovers a role may see, a handover's packs, what a reception
point could hand now."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from solidarnum.accounts.scope import Scope
from solidarnum.connectivity.enums import OfferKind
from solidarnum.connectivity.models import Code, Offer, OutreachPack, PackHandover
from solidarnum.connectivity.selectors import SITE_ROLES
from solidarnum.equipment.enums import DeviceKind
from solidarnum.equipment.selectors import givable_devices_count
from solidarnum.network.models import PartnerStructure


def handovers_for(scope: Scope) -> QuerySet[PackHandover]:
    qs = PackHandover.objects.select_related("structure", "reception_point", "handed_by")
    if scope.is_national_admin:
        return qs
    if scope.role in SITE_ROLES and scope.reception_point_id:
        return qs.filter(reception_point_id=scope.reception_point_id)
    return qs.none()


def packs_of(handover_id: int) -> QuerySet[OutreachPack]:
    return (
        OutreachPack.objects.filter(handover_id=handover_id)
        .select_related("device", "sim", "top_up")
        .only(
            "handover_id",
            "device__kind",
            "device__brand",
            "device__model_name",
            "device__serial_number",
            "device__imei",
            "sim__serial",
            "sim__phone_number",
            "top_up__serial",
            "top_up__expires_on",
        )
        .order_by("id")
    )


def structures_of(reception_point_id: int) -> QuerySet[PartnerStructure]:
    """The active partner structures attached to a reception point (who may receive packs)."""
    return PartnerStructure.objects.active().filter(reception_point_id=reception_point_id)


def pack_offers(kind: str) -> QuerySet[Offer]:
    return Offer.objects.on_sale().filter(kind=kind).order_by("name")


@dataclass(frozen=True)
class PackStock:
    phones: int
    sims: int
    top_ups: int

    @property
    def packs(self) -> int:
        return min(self.phones, self.sims, self.top_ups)


def pack_stock(reception_point_id: int) -> PackStock:
    """What the reception point could put in packs now: basic phones available, SIM cards and
    recharges on sale (three queries)."""
    sellable = Code.objects.sellable().filter(reception_point_id=reception_point_id)
    return PackStock(
        phones=givable_devices_count(reception_point_id, DeviceKind.BASIC_PHONE),
        sims=sellable.filter(offer__kind=OfferKind.SIM).count(),
        top_ups=sellable.filter(offer__kind=OfferKind.TOP_UP).count(),
    )


# How many of a structure's latest handovers its page lists.
PARTNER_PAGE_HANDOVERS = 5


def partner_section(structure: PartnerStructure, scope: Scope) -> dict[str, object]:
    """The packs maraude a structure received, for its page in the network (two queries);
    nothing for a reader who may see none of them."""
    handovers = handovers_for(scope).filter(structure=structure)
    totals = handovers.aggregate(handovers=Count("id"), packs=Sum("quantity"))
    if not totals["handovers"]:
        return {}
    return {
        "totals": totals,
        "latest": list(handovers.order_by("-handed_at", "-id")[:PARTNER_PAGE_HANDOVERS]),
        "structure_id": structure.pk,
    }
