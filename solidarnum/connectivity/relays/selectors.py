"""The relay pages' reads: the monthly statement's figures (counts and amounts only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import CodeEvent, Consignment, RelaySale, RelayStatement


def month_bounds(day: date) -> tuple[date, date]:
    """The first day of `day`'s month and the first day of the next one."""
    start = day.replace(day=1)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return start, end


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class OfferLine:
    offer_name: str
    sold: int
    amount: Decimal


@dataclass(frozen=True)
class StatementFigures:
    month: date
    received: int
    sold: int
    returned: int
    left: int
    amount_due: Decimal
    lines: list[OfferLine]


def statement_figures(relay_id: int, month: date) -> StatementFigures:
    """A relay's month: codes received, sold, returned, left at the month's end, and the amount
    due at the solidarity prices of the sales' days. Two queries, whatever the volume."""
    start, end = month_bounds(month)
    since, until = _aware(start), _aware(end)
    in_month = Q(at__gte=since, at__lt=until)
    counts = CodeEvent.objects.filter(relay_id=relay_id, at__lt=until).aggregate(
        received=Count("id", filter=in_month & Q(to_status=CodeStatus.CONSIGNED)),
        sold=Count("id", filter=in_month & Q(to_status=CodeStatus.SOLD)),
        returned=Count(
            "id",
            filter=in_month & Q(from_status=CodeStatus.CONSIGNED, to_status=CodeStatus.IN_STOCK),
        ),
        consigned_ever=Count("id", filter=Q(to_status=CodeStatus.CONSIGNED)),
        left_relay=Count(
            "id", filter=Q(from_status=CodeStatus.CONSIGNED) & ~Q(to_status=CodeStatus.CONSIGNED)
        ),
    )
    lines = [
        OfferLine(row["offer__name"], row["sold"] or 0, row["amount"] or Decimal("0"))
        for row in RelaySale.objects.filter(
            relay_id=relay_id, sold_at__gte=since, sold_at__lt=until
        )
        .values("offer__name")
        .annotate(sold=Sum("quantity"), amount=Sum("total"))
        .order_by("offer__name")
    ]
    return StatementFigures(
        month=start,
        received=counts["received"],
        sold=counts["sold"],
        returned=counts["returned"],
        left=counts["consigned_ever"] - counts["left_relay"],
        amount_due=sum((line.amount for line in lines), Decimal("0")),
        lines=lines,
    )


def statements_of(relay_id: int) -> QuerySet[RelayStatement]:
    return RelayStatement.objects.filter(relay_id=relay_id).select_related(
        "validated_by", "payment_recorded_by"
    )


def statement_of(relay_id: int, month: date) -> RelayStatement | None:
    return statements_of(relay_id).filter(month=month_bounds(month)[0]).first()


def consignments_of(relay_id: int) -> QuerySet[Consignment]:
    return Consignment.objects.filter(relay_id=relay_id).select_related("offer", "sent_by")
