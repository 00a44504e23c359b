"""Reads of the logistics pages: where a transfer leaves from, what may leave from there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.equipment.enums import Status, StockCountStatus
from solidarnum.equipment.models import (
    Device,
    ImportBatch,
    StockCount,
    StockCountScan,
    Transfer,
    TransferItem,
)
from solidarnum.network.models import ReceptionPoint, RefurbishingPartner

from .services import COUNTED_STATUSES, TRANSFERABLE_FROM_SITE

SITE = "site"
WORKSHOP = "workshop"


@dataclass(frozen=True)
class Origin:
    """The place a transfer leaves from: a reception point or a refurbishing workshop."""

    kind: str  # SITE or WORKSHOP
    place: ReceptionPoint | RefurbishingPartner

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.place.pk}"

    @property
    def label(self) -> str:
        if self.kind == WORKSHOP:
            return _("%(name)s (atelier)") % {"name": self.place.name}
        return self.place.name

    @property
    def site_id(self) -> int | None:
        return self.place.pk if self.kind == SITE else None

    def send_kwargs(self) -> dict[str, Any]:
        if self.kind == WORKSHOP:
            return {"from_refurbisher": self.place}
        return {"from_point": self.place}


def origin_choices() -> list[tuple[str, str]]:
    """For the national team: every active workshop and reception point."""
    workshops = [
        (f"{WORKSHOP}:{pk}", _("Atelier : %(name)s") % {"name": name})
        for pk, name in RefurbishingPartner.objects.filter(is_active=True).values_list("pk", "name")
    ]
    sites = [
        (f"{SITE}:{pk}", _("Point d'accueil : %(name)s") % {"name": name})
        for pk, name in ReceptionPoint.objects.active().values_list("pk", "name")
    ]
    return workshops + sites


def parse_origin(value: str | None) -> Origin | None:
    """`site:<id>` or `workshop:<id>` as chosen by the national team; anything else is None."""
    kind, _sep, raw_pk = (value or "").partition(":")
    if not raw_pk.isdigit():
        return None
    if kind == SITE:
        point = ReceptionPoint.objects.active().filter(pk=int(raw_pk)).first()
        return Origin(SITE, point) if point else None
    if kind == WORKSHOP:
        workshop = RefurbishingPartner.objects.filter(pk=int(raw_pk), is_active=True).first()
        return Origin(WORKSHOP, workshop) if workshop else None
    return None


def origin_of(request: HttpRequest) -> Origin | None:
    """Where the caller sends from: their workshop, their site, or (national team) the chosen
    `?origin=`, or the workshop of the `?lot=` they come from."""
    scope: Scope = scope_of(request)
    membership = scope.membership
    if scope.is_refurbisher_contact and membership and membership.refurbisher:
        return Origin(WORKSHOP, membership.refurbisher)
    if scope.is_site_member and membership and membership.reception_point:
        return Origin(SITE, membership.reception_point)
    if scope.is_national_admin:
        if "origin" not in request.GET and request.GET.get("lot", "").isdigit():
            # From a batch page: the devices leave from that batch's workshop.
            batch = (
                ImportBatch.objects.select_related("refurbisher")
                .filter(pk=int(request.GET["lot"]))
                .first()
            )
            return Origin(WORKSHOP, batch.refurbisher) if batch else None
        return parse_origin(request.GET.get("origin"))
    return None


def eligible_devices(origin: Origin) -> QuerySet[Device]:
    """What may leave this place now: what `services.send_transfer` accepts from it."""
    qs = Device.objects.select_related("batch").filter(transfer__isnull=True)
    if origin.kind == WORKSHOP:
        qs = qs.filter(
            refurbisher_id=origin.place.pk,
            reception_point__isnull=True,
            status=Status.BACK_FROM_WORKSHOP,
        )
    else:
        qs = qs.filter(reception_point_id=origin.place.pk, status__in=TRANSFERABLE_FROM_SITE)
    return qs.order_by("kind", "serial_number")


# --- Lists and pages -----------------------------------------------------------------------------


def count_of(model: type[TransferItem] | type[StockCountScan], parent: str) -> Coalesce:
    """A correlated COUNT, so a list shows each row's number without a query per row."""
    rows = (
        model.objects.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def open_stock_count(reception_point_id: int | None) -> StockCount | None:
    """The count in progress at the site, if any (at most one)."""
    return StockCount.objects.filter(
        reception_point_id=reception_point_id, status=StockCountStatus.OPEN
    ).first()


def get_transfer_item_or_404(transfer: Transfer, device_pk: int) -> TransferItem:
    """A device of this transfer (the transfer comes from `get_transfer_or_404`)."""
    return get_object_or_404(
        TransferItem.objects.select_related("device"), transfer=transfer, device_id=device_pk
    )


def expected_in_stock(reception_point_id: int | None) -> int:
    """How many devices a stock count of the site expects to find on its shelves."""
    return Device.objects.filter(
        reception_point_id=reception_point_id, status__in=COUNTED_STATUSES
    ).count()
