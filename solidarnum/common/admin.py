from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction


class AuditedModelAdmin(admin.ModelAdmin):
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
