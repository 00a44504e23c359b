"""The audit trail in the admin (read-only), and the base class that audits the admin's writes."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .audit import record
from .models import AuditAction, AuditEvent


class AuditedModelAdmin(admin.ModelAdmin[Any]):
    """The admin is a support tool; its writes reach the audit trail like any other."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            obj=obj,
            changed_fields=form.changed_data,
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records are deactivated, never deleted, so that history stays readable.
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: no add, change or delete from the admin."""

    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
