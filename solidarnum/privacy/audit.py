"""Write to the audit trail. Every service that changes or reveals audited data calls `record`."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditAction, AuditEvent


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def record(
    *,
    actor: Any,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changed_fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one event. `actor` may be anonymous (None) for public exports."""
    if obj is not None:
        object_type = object_type_of(obj)
        object_id = str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changed_fields=sorted(set(changed_fields)),
    )


def changed_field_names(form_changed_data: Iterable[str]) -> list[str]:
    return sorted(set(form_changed_data))
