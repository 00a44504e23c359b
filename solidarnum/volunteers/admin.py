from django.contrib import admin

from solidarnum.privacy.admin import AuditedModelAdmin

from .models import Candidate, DeclaredHours, Training, VolunteerProfile


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(AuditedModelAdmin):
    list_display = ("user", "status", "started_on", "checked_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "checked_by")
    exclude = ("emergency_contact_name", "emergency_contact_phone")


@admin.register(DeclaredHours)
class DeclaredHoursAdmin(AuditedModelAdmin):
    list_display = ("user", "reception_point", "worked_on", "minutes", "status")
    list_filter = ("status", "category")
    raw_id_fields = ("user", "decided_by")


@admin.register(Candidate)
class CandidateAdmin(AuditedModelAdmin):
    list_display = ("reception_point", "status", "created_at")
    list_filter = ("status",)
    exclude = ("first_name", "last_name", "email", "phone")


@admin.register(Training)
class TrainingAdmin(AuditedModelAdmin):
    list_display = ("theme", "starts_at", "capacity")
