"""Scoped reads of the till: sessions, sales, receipts of the caller's site; prices of the day.

A session or a sale outside the caller's scope answers 404, like a missing one.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.beneficiaries.filters import search_condition
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.connectivity.models import Code, Offer
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device
from solidarnum.network.models import ReceptionPoint

from .enums import ReceiptKind, SessionStatus
from .models import (
    Basket,
    BasketItem,
    CashSession,
    CodeSwap,
    DeviceMarketPrice,
    Receipt,
    ReceiptCounter,
    ReceiptSeries,
    Refund,
    Sale,
    SaleLine,
    Till,
    TillRight,
)
from .permissions import SITE_TEAM
from .receipts.chain import default_prefix, format_number

# The length of a referral voucher's code (referrals.models.REFERENCE_LENGTH), read through the
# person's access periods without importing referrals.
REFERENCE_LENGTH = 6


def _site_filter(scope: Scope) -> dict[str, object] | None:
    """None: every site (national admins); {}: nothing; else the caller's site."""
    if scope.is_national_admin:
        return None
    if scope.role in SITE_TEAM and scope.reception_point_id is not None:
        return {"reception_point_id": scope.reception_point_id}
    return {}


def tills_for(scope: Scope) -> QuerySet[Till]:
    qs = Till.objects.select_related("reception_point")
    where = _site_filter(scope)
    if where is None:
        return qs
    return qs.filter(**where) if where else qs.none()


def get_till_or_404(request: HttpRequest, pk: int) -> Till:
    return get_object_or_404(tills_for(scope_of(request)), pk=pk)


def sessions_for(scope: Scope) -> QuerySet[CashSession]:
    qs = CashSession.objects.select_related("till", "reception_point", "opened_by", "closed_by")
    where = _site_filter(scope)
    if where is None:
        return qs
    return qs.filter(**where) if where else qs.none()


def get_session_or_404(request: HttpRequest, pk: int) -> CashSession:
    return get_object_or_404(sessions_for(scope_of(request)), pk=pk)


def open_sessions(scope: Scope) -> QuerySet[CashSession]:
    return sessions_for(scope).filter(status=SessionStatus.OPEN)


def sales_for(scope: Scope) -> QuerySet[Sale]:
    qs = Sale.objects.select_related("reception_point", "beneficiary", "session__till", "sold_by")
    where = _site_filter(scope)
    if where is None:
        return qs
    return qs.filter(**where) if where else qs.none()


def get_sale_or_404(request: HttpRequest, pk: int) -> Sale:
    return get_object_or_404(sales_for(scope_of(request)), pk=pk)


def receipts_for(scope: Scope) -> QuerySet[Receipt]:
    qs = Receipt.objects.select_related("sale", "refund", "reception_point")
    where = _site_filter(scope)
    if where is None:
        return qs
    return qs.filter(**where) if where else qs.none()


def get_receipt_or_404(request: HttpRequest, number: str) -> Receipt:
    return get_object_or_404(receipts_for(scope_of(request)), number=number)


def device_market_price(kind: str, grade: str, day: date) -> Decimal | None:
    """The market reference price of a device kind and grade in force on `day` (one query)."""
    found = (
        DeviceMarketPrice.objects.filter(kind=kind, grade=grade, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    return found.amount if found is not None else None


def current_codes(lines: list[SaleLine]) -> dict[int, Code]:
    """The code each code line stands for now: the last replacement of a defective one, else its
    own (two queries for any number of lines)."""
    found = {line.pk: line.code for line in lines if line.code is not None}
    swaps = (
        CodeSwap.objects.filter(line__in=[line.pk for line in lines])
        .select_related("new_code__offer")
        .order_by("id")
    )
    for swap in swaps:
        found[swap.line_id] = swap.new_code
    return found


# --- The sale screen -----------------------------------------------------------------------------


def find_people(scope: Scope, query: str) -> QuerySet[Beneficiary]:
    """People of the caller's site by public id, voucher code, name or phone (at most 10)."""
    query = " ".join(query.split())
    qs = Beneficiary.objects.current().filter(reception_point_id=scope.reception_point_id)
    if not query:
        return qs.none()
    try:
        return qs.filter(public_id=uuid.UUID(query))[:1]
    except ValueError:
        pass
    compact = query.replace(" ", "").upper()
    if len(compact) == REFERENCE_LENGTH and compact.isalnum():
        found = qs.filter(access_periods__referral__reference=compact)
        if found.exists():
            return found.distinct()[:1]
    condition = search_condition(query, with_phone=True)
    if condition is None:
        return qs.none()
    return qs.filter(condition).order_by("last_name", "first_name")[:10]


def get_basket_or_404(request: HttpRequest, key: uuid.UUID) -> Basket:
    scope = scope_of(request)
    return get_object_or_404(
        Basket.objects.select_related("session__till", "beneficiary"),
        key=key,
        session__reception_point_id=scope.reception_point_id,
    )


def basket_items(basket: Basket) -> list[BasketItem]:
    return list(basket.items.select_related("device", "offer").order_by("id"))


def reserved_devices(beneficiary_id: int) -> QuerySet[Device]:
    return Device.objects.filter(reserved_for_id=beneficiary_id, status=Status.RESERVED)


def available_devices(place_id: int, query: str) -> QuerySet[Device]:
    """Devices on sale at the site, by serial number (a scan) or brand and model."""
    qs = Device.objects.filter(reception_point_id=place_id, status=Status.AVAILABLE)
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(serial_number__iexact=query)
            | Q(imei=query)
            | Q(brand__icontains=query)
            | Q(model_name__icontains=query)
        )
    return qs.order_by("kind", "grade", "id")[:20]


def offers_on_sale() -> QuerySet[Offer]:
    return Offer.objects.on_sale().order_by("name")


def person_sales(beneficiary_id: int) -> QuerySet[Sale]:
    return (
        Sale.objects.filter(beneficiary_id=beneficiary_id)
        .select_related("reception_point")
        .prefetch_related("receipts")
        .order_by("-sold_at")
    )


def purchasing_power_of(beneficiary_id: int) -> tuple[Decimal, Decimal]:
    """What the person paid and the purchasing power injected (market minus paid), lines kept."""
    row = SaleLine.objects.filter(
        beneficiary_id=beneficiary_id, refund_line__isnull=True
    ).aggregate(paid=Sum("paid"), market=Sum("market_price"))
    paid = row["paid"] or Decimal("0")
    return paid, (row["market"] or Decimal("0")) - paid


def purchasing_power_by_month(place_id: int, since: date) -> list[dict[str, Any]]:
    """Per month at a site: lines, paid, market value, purchasing power injected (one query)."""
    rows = (
        SaleLine.objects.filter(
            sale__reception_point_id=place_id, sold_at__date__gte=since, refund_line__isnull=True
        )
        .annotate(month=TruncMonth("sold_at"))
        .values("month")
        .annotate(
            lines=Count("id"),
            people=Count("beneficiary", distinct=True),
            paid=Sum("paid"),
            market=Sum("market_price"),
        )
        .order_by("-month")
    )
    return [{**row, "saving": row["market"] - row["paid"]} for row in rows]


def session_sales(session_id: int) -> QuerySet[Sale]:
    return (
        Sale.objects.filter(session_id=session_id)
        .select_related("beneficiary", "sold_by")
        .prefetch_related("receipts")
        .order_by("-sold_at", "-id")
    )


def session_refunds(session_id: int) -> QuerySet[Refund]:
    return (
        Refund.objects.filter(session_id=session_id)
        .select_related("sale", "refunded_by", "receipt")
        .order_by("-refunded_at")
    )


def receipt_lines(receipt: Receipt) -> list[SaleLine]:
    """The lines a receipt shows; an exchange's returned lines first, marked `returned`."""
    if receipt.kind == ReceiptKind.EXCHANGE:
        assert receipt.refund_id is not None  # an exchange receipt has its refund (constraint)
        back = list(
            SaleLine.objects.filter(refund_line__refund_id=receipt.refund_id).order_by("id")
        )
        for line in back:
            line.returned = True
        return back + list(receipt.sale.lines.select_related("device").order_by("id"))
    if receipt.refund_id is not None:
        return list(
            SaleLine.objects.filter(refund_line__refund_id=receipt.refund_id).order_by("id")
        )
    return list(receipt.sale.lines.select_related("code", "offer", "device").order_by("id"))


def devices_at(place_id: int) -> QuerySet[Device]:
    return Device.objects.filter(reception_point_id=place_id)


def replacement_device(place_id: int, typed: str) -> Device | None:
    """An available device of the site by its serial number, IMEI or number (a scanner types
    one of them)."""
    typed = typed.strip()
    if not typed:
        return None
    match = Q(serial_number=typed) | Q(imei=typed)
    if typed.isdigit() and len(typed) < 12:
        match |= Q(pk=int(typed))
    return devices_at(place_id).filter(match, status=Status.AVAILABLE).first()


def site_volunteers(scope: Scope) -> list[tuple[Membership, bool]]:
    """The site's active volunteers and whether each has the till right (two queries)."""
    if scope.reception_point_id is None:
        return []
    volunteers = list(
        Membership.objects.active()
        .filter(reception_point_id=scope.reception_point_id, role=Role.VOLUNTEER)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    with_right = set(
        TillRight.objects.filter(membership__in=volunteers, revoked_at__isnull=True).values_list(
            "membership_id", flat=True
        )
    )
    return [(m, m.pk in with_right) for m in volunteers]


def get_site_volunteer_or_404(request: HttpRequest, pk: int) -> Membership:
    scope = scope_of(request)
    return get_object_or_404(
        Membership.objects.active(),
        pk=pk,
        reception_point_id=scope.reception_point_id,
        role=Role.VOLUNTEER,
    )


def receipt_numbering(scope: Scope) -> dict[str, Any]:
    """The site's prefix (the default one until a receipt or the manager sets it), the year's
    last number and what the next receipt will be numbered."""
    place_id = scope.reception_point_id
    assert place_id is not None  # the page is the site manager's
    series = ReceiptSeries.objects.filter(reception_point_id=place_id).first()
    place = ReceptionPoint.objects.get(pk=place_id)
    prefix = series.prefix if series is not None else default_prefix(place)
    year = timezone.localdate().year
    last = (
        ReceiptCounter.objects.filter(reception_point_id=place_id, year=year)
        .values_list("last_number", flat=True)
        .first()
        or 0
    )
    return {
        "place": place,
        "prefix": prefix,
        "year": year,
        "last_number": format_number(prefix, year, last) if last else "",
        "next_number": format_number(prefix, year, last + 1),
    }
