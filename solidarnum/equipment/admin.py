"""Read-mostly admin: devices move only through the services (and their history)."""

from django.contrib import admin

from solidarnum.privacy.admin import AuditedModelAdmin

from .models import Device, DeviceEvent, Donation, ImportBatch, Price, Transfer


class DeviceEventInline(admin.TabularInline[DeviceEvent, Device]):
    model = DeviceEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "actor", "reason", "reception_point"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Device)
class DeviceAdmin(AuditedModelAdmin):
    list_display = ["serial_number", "kind", "brand", "model_name", "grade", "status"]
    list_filter = ["status", "kind", "grade"]
    search_fields = ["serial_number", "imei"]
    readonly_fields = [
        "status",
        "reception_point",
        "transfer",
        "reserved_for",
        "reserved_until",
        "sold_to",
        "sold_at",
        "sale_price",
        "donation",
        "batch",
        "refurbisher",
    ]
    inlines = [DeviceEventInline]


@admin.register(Donation)
class DonationAdmin(AuditedModelAdmin):
    list_display = ["reference", "donor", "donated_on", "refurbisher"]
    search_fields = ["reference"]


@admin.register(ImportBatch)
class ImportBatchAdmin(AuditedModelAdmin):
    list_display = ["reference", "refurbisher", "donation", "row_count", "imported_at"]


@admin.register(Transfer)
class TransferAdmin(AuditedModelAdmin):
    list_display = ["reference", "to_point", "status", "sent_at"]


@admin.register(Price)
class PriceAdmin(AuditedModelAdmin):
    list_display = ["kind", "grade", "amount", "valid_from"]
