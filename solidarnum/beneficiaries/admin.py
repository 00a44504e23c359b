"""Read-only support list of the files: no names, contact or situation, no edits.

The file page (with its audit trail) is the only place a person's details are shown, so the
admin has a list only: no detail page (its title would be the person's name).
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Beneficiary


@admin.register(Beneficiary)
class BeneficiaryAdmin(admin.ModelAdmin[Beneficiary]):
    list_display = (
        "public_id",
        "reception_point",
        "profile",
        "created_at",
        "exited_on",
    )
    list_filter = ("profile", "reception_point")
    list_select_related = ("reception_point",)
    list_display_links = None
    actions = None
    show_full_result_count = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
