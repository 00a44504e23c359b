"""The stock pages' reads: counts per offer and place, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, CodeEvent, Offer, StockAlert


@dataclass(frozen=True)
class StockLine:
    offer: Offer
    available: int
    reserved: int
    consigned: int
    in_transit: int
    sold_this_month: int
    expiring_soon: int
    threshold: int | None

    @property
    def is_low(self) -> bool:
        return self.threshold is not None and self.available < self.threshold


EXPIRY_WARNING_DAYS = 30


def _month_start(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today.replace(day=1), time.min))


def stock_lines(place_ids: list[int]) -> dict[int, list[StockLine]]:
    """Each place's stock by offer: available (sellable), reserved, at relays, in transit out,
    sold this month, expiring within 30 days, and its alert threshold. Four queries."""
    today = timezone.localdate()
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    held = Q(status__in=[CodeStatus.IN_STOCK, CodeStatus.CONSIGNED])
    counts = (
        Code.objects.filter(reception_point_id__in=place_ids)
        .exclude(
            status__in=[CodeStatus.SOLD, CodeStatus.GIVEN, CodeStatus.DEFECTIVE, CodeStatus.EXPIRED]
        )
        .values("reception_point_id", "offer_id")
        .annotate(
            available=Count(
                "id",
                filter=Q(status=CodeStatus.IN_STOCK, revealed_at__isnull=True)
                & (Q(expires_on__isnull=True) | Q(expires_on__gte=today)),
            ),
            reserved=Count("id", filter=Q(status=CodeStatus.RESERVED)),
            consigned=Count("id", filter=Q(status=CodeStatus.CONSIGNED)),
            in_transit=Count("id", filter=Q(status=CodeStatus.IN_TRANSIT)),
            expiring=Count("id", filter=held & Q(expires_on__gte=today, expires_on__lte=soon)),
        )
        .order_by()
    )
    sold = {
        (row["reception_point_id"], row["offer_id"]): row["n"]
        for row in CodeEvent.objects.filter(
            reception_point_id__in=place_ids,
            to_status=CodeStatus.SOLD,
            at__gte=_month_start(today),
        )
        .values("reception_point_id", "offer_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    thresholds = {
        (a.reception_point_id, a.offer_id): a.threshold
        for a in StockAlert.objects.filter(reception_point_id__in=place_ids)
    }
    by_key: dict[tuple[int, int], Any] = {
        (row["reception_point_id"], row["offer_id"]): row for row in counts
    }
    keys = set(by_key) | set(sold) | set(thresholds)
    offers = Offer.objects.in_bulk({offer_id for _place, offer_id in keys})
    result: dict[int, list[StockLine]] = {pk: [] for pk in place_ids}
    for place_id, offer_id in sorted(keys, key=lambda k: (k[0], offers[k[1]].name)):
        row: dict[str, int] = by_key.get((place_id, offer_id), {})
        result[place_id].append(
            StockLine(
                offer=offers[offer_id],
                available=row.get("available", 0),
                reserved=row.get("reserved", 0),
                consigned=row.get("consigned", 0),
                in_transit=row.get("in_transit", 0),
                sold_this_month=sold.get((place_id, offer_id), 0),
                expiring_soon=row.get("expiring", 0),
                threshold=thresholds.get((place_id, offer_id)),
            )
        )
    return result
