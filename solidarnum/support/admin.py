"""The national admins' tool for the course catalogue: templates, their modules and half-days.
Every write, inlines included, reaches the audit trail (privacy's `AuditedModelAdmin`)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from solidarnum.privacy.admin import AuditedModelAdmin
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .models import CourseModule, CourseTemplate, TemplateSession


class _AuditedInlinesAdmin(AuditedModelAdmin):
    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj, fields in formset.changed_objects:
            record(actor=request.user, action=AuditAction.UPDATE, obj=obj, changed_fields=fields)
        for obj in formset.new_objects:
            record(actor=request.user, action=AuditAction.CREATE, obj=obj, changed_fields=[])


class CourseModuleInline(admin.TabularInline[CourseModule, CourseTemplate]):
    model = CourseModule
    extra = 0
    can_delete = False
    show_change_link = True


class TemplateSessionInline(admin.TabularInline[TemplateSession, CourseModule]):
    model = TemplateSession
    extra = 0
    can_delete = False


@admin.register(CourseTemplate)
class CourseTemplateAdmin(_AuditedInlinesAdmin):
    list_display = ("name", "kind", "attendance_threshold", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    inlines = [CourseModuleInline]


@admin.register(CourseModule)
class CourseModuleAdmin(_AuditedInlinesAdmin):
    list_display = ("title", "template", "order")
    list_select_related = ("template",)
    search_fields = ("title", "template__name")
    inlines = [TemplateSessionInline]
