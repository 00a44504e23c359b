"""Reads of the audit trail: its page (national admins only, by the page's access rule) and
other apps' pages (who opened a person's file)."""

from django.db.models import Q, QuerySet

from .models import AuditAction, AuditEvent

READ_ACTIONS = (AuditAction.VIEW, AuditAction.EXPORT)


def reads_of(object_type: str, object_ids: Q) -> QuerySet[AuditEvent]:
    """Views and exports of the objects of one kind, newest first, with their authors.

    `object_ids` is a condition on `object_id` (a literal id, or ids from a subquery), so a
    person's file and the duplicates merged into it are read in one query."""
    return (
        AuditEvent.objects.filter(object_ids, object_type=object_type, action__in=READ_ACTIONS)
        .select_related("actor")
        .order_by("-id")
    )


def audit_events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor")
