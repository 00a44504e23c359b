"""Write to the audit trail. Every service that changes or reveals audited data calls `record`;
views that show or hand out personal data call `record` (one object) or `record_reads` (a list).
"""

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from .models import AuditAction, AuditEvent

# A list read (API polling) is written once per person, object and window: the trail answers
# "who read this referral, and when first in that hour" without a row per poll.
LIST_READ_WINDOW = timedelta(hours=1)


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


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
    return AuditEvent.objects.create(
        actor=_actor(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        changed_fields=sorted(set(changed_fields)),
    )


def record_reads(
    *, actor: Any, action: AuditAction, objects: Sequence[models.Model]
) -> list[AuditEvent]:
    """One event per object of a list read, skipping the objects this actor already read in the
    last `LIST_READ_WINDOW`. Two queries whatever the number of objects."""
    if not objects:
        return []
    user = _actor(actor)
    object_type = object_type_of(objects[0])
    ids = {str(obj.pk) for obj in objects}
    already = set(
        AuditEvent.objects.filter(
            actor=user,
            action=action,
            object_type=object_type,
            object_id__in=ids,
            at__gte=timezone.now() - LIST_READ_WINDOW,
        ).values_list("object_id", flat=True)
    )
    events = [
        AuditEvent(actor=user, action=action, object_type=object_type, object_id=object_id)
        for object_id in sorted(ids - already)
    ]
    # bulk_create skips AuditEvent.save: these rows are new, append-only still holds.
    return AuditEvent.objects.bulk_create(events)


def changed_field_names(form_changed_data: Iterable[str]) -> list[str]:
    return sorted(set(form_changed_data))
