"""Reads of the volunteer check."""

from __future__ import annotations

from django.db.models import QuerySet

from solidarnum.accounts.scope import Scope
from solidarnum.equipment import selectors
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device


def to_check_at_site(scope: Scope) -> QuerySet[Device]:
    """The caller's site's devices waiting for their check, the longest waiting first."""
    return (
        selectors.devices_for(scope)
        .select_related(None)
        .filter(reception_point_id=scope.reception_point_id, status=Status.TO_CHECK)
        .order_by("status_changed_at", "pk")
    )
