"""The operator statement: for an operator partner and a period, the cards and codes received,
sold, given in packs, defective and expired, with their market value (the in-kind gift the
operator declares). Three queries whatever the volume: the moves grouped by offer, status and
day, then priced in memory with each day's market price."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import CodeEvent, Offer, OfferPrice

COLUMNS = [
    ("received", CodeStatus.IN_STOCK),
    ("sold", CodeStatus.SOLD),
    ("given", CodeStatus.GIVEN),
    ("defective", CodeStatus.DEFECTIVE),
    ("expired", CodeStatus.EXPIRED),
]


@dataclass
class Line:
    offer: Offer
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(dict(COLUMNS), 0))
    values: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(dict(COLUMNS), Decimal("0"))
    )


@dataclass(frozen=True)
class OperatorStatement:
    operator: str
    start: date
    end: date
    lines: list[Line]

    @property
    def totals(self) -> dict[str, int]:
        return {key: sum(line.counts[key] for line in self.lines) for key, _s in COLUMNS}

    @property
    def total_values(self) -> dict[str, Decimal]:
        return {
            key: sum((line.values[key] for line in self.lines), Decimal("0")) for key, _s in COLUMNS
        }


def operators() -> list[str]:
    return sorted(set(Offer.objects.values_list("operator", flat=True)))


def operator_statement(operator: str, start: date, end: date) -> OperatorStatement:
    offers = {o.pk: o for o in Offer.objects.filter(operator=operator).order_by("name")}
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    # A delivery's line is the code's first one (no status before); the others are moves.
    received = Q(to_status=CodeStatus.IN_STOCK, from_status="")
    moves = Q(to_status__in=[s for key, s in COLUMNS if key != "received"]) & ~Q(
        from_status=F("to_status")
    )
    rows = (
        CodeEvent.objects.filter(offer_id__in=list(offers), at__gte=since, at__lt=until)
        .filter(received | moves)
        .annotate(day=TruncDate("at"))
        .values("offer_id", "to_status", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    prices: dict[int, list[OfferPrice]] = defaultdict(list)
    for price in OfferPrice.objects.filter(offer_id__in=list(offers)).order_by("valid_from"):
        prices[price.offer_id].append(price)
    lines = {pk: Line(offer) for pk, offer in offers.items()}
    key_of: dict[str, str] = {str(status): key for key, status in COLUMNS}
    for row in rows:
        key = key_of[row["to_status"]]
        line = lines[row["offer_id"]]
        line.counts[key] += row["n"]
        market = _market_on(prices[row["offer_id"]], row["day"])
        line.values[key] += market * row["n"]
    return OperatorStatement(operator, start, end, list(lines.values()))


def _market_on(prices: list[OfferPrice], day: date) -> Decimal:
    found = Decimal("0")
    for price in prices:
        if price.valid_from <= day:
            found = price.market_price
    return found
