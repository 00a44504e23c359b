"""The timeline extension point.

Any app records what happens to a person with `add_entry(...)`; the file page lists the
entries in one query. Milestones (first visit, equipped, connected, course finished, exit, a
mediation with an operator opened or closed) also
reach the référent's follow-up; summaries must never hold sensitive detail (they are shown to
the référent when the entry is a milestone).

    from solidarnum.beneficiaries.timeline import add_entry
    add_entry(beneficiary=b, kind="sales.device_sold", summary=_("Ordinateur portable obtenu"),
              actor=user, milestone=Milestone.EQUIPPED, obj=sale)
"""

from typing import Any

from django.db import models
from django.utils import timezone

from .enums import REPEATABLE_MILESTONES, Milestone
from .models import Beneficiary, TimelineEntry


def add_entry(
    *,
    beneficiary: Beneficiary,
    kind: str,
    summary: str,
    actor: Any = None,
    milestone: Milestone | str = "",
    obj: models.Model | None = None,
    at: Any = None,
) -> TimelineEntry:
    """Append one entry. A milestone already reached is not recorded twice, unless it is one a
    person may reach again (`REPEATABLE_MILESTONES`)."""
    if (
        milestone
        and milestone not in REPEATABLE_MILESTONES
        and TimelineEntry.objects.filter(beneficiary=beneficiary, milestone=milestone).exists()
    ):
        milestone = ""
    return TimelineEntry.objects.create(
        beneficiary=beneficiary,
        kind=kind,
        summary=str(summary)[:255],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        milestone=milestone,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        at=at or timezone.now(),
    )


def milestones_of(beneficiary_ids: list[int]) -> dict[int, list[TimelineEntry]]:
    """Milestones per beneficiary, in one query (for référent follow-up lists)."""
    result: dict[int, list[TimelineEntry]] = {pk: [] for pk in beneficiary_ids}
    entries = (
        TimelineEntry.objects.filter(beneficiary_id__in=beneficiary_ids)
        .exclude(milestone="")
        .order_by("at")
    )
    for entry in entries:
        result[entry.beneficiary_id].append(entry)
    return result
