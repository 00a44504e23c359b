from django.contrib import admin

from solidarnum.privacy.admin import AuditedModelAdmin

from .models import Invitation, Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    can_delete = False
    # Read-only here: memberships change through the audited screens and services.
    readonly_fields = [
        "role",
        "reception_point",
        "partner_structure",
        "donor",
        "refurbisher",
        "is_lead",
        "can_check_devices",
        "is_active",
        "deactivated_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "last_name"]
    fields = ["email", "first_name", "last_name", "is_active", "last_login"]
    readonly_fields = ["last_login"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    list_display = ["email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["token", "accepted_at"]
