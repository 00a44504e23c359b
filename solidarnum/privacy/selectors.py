"""Reads of the audit trail (national admins only, by the page's access rule)."""

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor")
