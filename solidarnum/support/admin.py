"""The course catalogue in the admin: read only. It is edited on the catalogue's own screens
(/accompagner/parcours/modeles/), whose services hold its rules (a threshold fixed once a cohort
has started, retired parts instead of deletions, no active course without a half-day; ADR 0042):
an admin form would write past them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CourseModule, CourseTemplate, TemplateSession


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)


class CourseModuleInline(_ReadOnly, admin.TabularInline[CourseModule, CourseTemplate]):
    model = CourseModule
    extra = 0
    show_change_link = True


class TemplateSessionInline(_ReadOnly, admin.TabularInline[TemplateSession, CourseModule]):
    model = TemplateSession
    extra = 0


@admin.register(CourseTemplate)
class CourseTemplateAdmin(_ReadOnly, admin.ModelAdmin[CourseTemplate]):
    list_display = ("name", "kind", "attendance_threshold", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    inlines = [CourseModuleInline]


@admin.register(CourseModule)
class CourseModuleAdmin(_ReadOnly, admin.ModelAdmin[CourseModule]):
    list_display = ("title", "template", "order")
    list_select_related = ("template",)
    search_fields = ("title", "template__name")
    inlines = [TemplateSessionInline]
