"""Read-only admin, a support tool: what the till records is never changed by hand (ADR 0033)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from solidarnum.privacy.admin import AuditedModelAdmin

from .models import (
    CashSession,
    DeviceMarketPrice,
    Receipt,
    Refund,
    Sale,
    SaleLine,
    Till,
    TillRight,
)


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Till)
class TillAdmin(ReadOnlyAdmin):
    list_display = ["name", "reception_point", "is_active"]


@admin.register(TillRight)
class TillRightAdmin(ReadOnlyAdmin):
    list_display = ["membership", "granted_at", "revoked_at"]


@admin.register(DeviceMarketPrice)
class DeviceMarketPriceAdmin(ReadOnlyAdmin):
    list_display = ["kind", "grade", "valid_from", "amount"]


@admin.register(CashSession)
class CashSessionAdmin(ReadOnlyAdmin):
    list_display = ["till", "reception_point", "status", "opened_at", "closed_at", "difference"]
    list_filter = ["status"]
    list_select_related = ["till", "reception_point"]
    show_full_result_count = False


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdmin):
    list_display = ["sold_at", "reception_point", "payment_method", "total", "market_total"]
    list_select_related = ["reception_point"]
    show_full_result_count = False


@admin.register(SaleLine)
class SaleLineAdmin(ReadOnlyAdmin):
    list_display = ["label", "sold_at", "solidarity_price", "market_price", "paid"]
    show_full_result_count = False


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["refunded_at", "kind", "method", "amount"]
    show_full_result_count = False


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "amount", "issued_at"]
    search_fields = ["number"]
    show_full_result_count = False
