"""Read-only admin, a support tool: codes move only through the services, and the admin never
shows a secret code (the encrypted column is left out of every form and list)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from solidarnum.privacy.admin import AuditedModelAdmin

from .models import (
    Code,
    Consignment,
    Delivery,
    Offer,
    OfferPrice,
    PackHandover,
    RelaySale,
    RelayStatement,
)


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "operator", "quota_per_30_days", "is_withdrawn"]
    list_filter = ["kind", "is_withdrawn"]


@admin.register(OfferPrice)
class OfferPriceAdmin(ReadOnlyAdmin):
    list_display = ["offer", "valid_from", "solidarity_price", "market_price"]


@admin.register(Code)
class CodeAdmin(ReadOnlyAdmin):
    list_display = ["serial", "offer", "status", "reception_point", "relay", "expires_on"]
    list_filter = ["status", "offer"]
    search_fields = ["serial"]
    exclude = ["secret_token"]
    list_select_related = ["offer", "reception_point", "relay"]
    show_full_result_count = False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["reference", "reception_point", "row_count", "received_at"]


@admin.register(Consignment)
class ConsignmentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "reception_point", "relay", "offer", "quantity", "sent_at"]


@admin.register(RelaySale)
class RelaySaleAdmin(ReadOnlyAdmin):
    # The buyers' first names stay with the relay (ADR 0029): counts and amounts only here.
    list_display = ["relay", "offer", "quantity", "total", "sold_at"]
    exclude = ["buyer_first_name", "buyer_birth_year", "buyer_key"]


@admin.register(RelayStatement)
class RelayStatementAdmin(ReadOnlyAdmin):
    list_display = ["relay", "month", "sold", "left", "amount_due", "status"]


@admin.register(PackHandover)
class PackHandoverAdmin(ReadOnlyAdmin):
    list_display = ["reference", "reception_point", "structure", "quantity", "handed_at"]
    list_select_related = ["reception_point", "structure"]
