"""Scoped reads of the till: sessions, sales, receipts of the caller's site; prices of the day.

A session or a sale outside the caller's scope answers 404, like a missing one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.connectivity.models import Code

from .enums import SessionStatus
from .models import CashSession, CodeSwap, DeviceMarketPrice, Receipt, Sale, SaleLine, Till
from .permissions import SITE_TEAM


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
