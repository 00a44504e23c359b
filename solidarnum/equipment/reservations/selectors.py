"""Reads of the reservation pages."""

from __future__ import annotations

from django.db.models import QuerySet

from solidarnum.accounts.scope import Scope
from solidarnum.equipment import selectors
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device


def available_at_site(scope: Scope) -> QuerySet[Device]:
    """The site's devices on sale, with today's price."""
    return selectors.with_price_today(
        selectors.devices_for(scope)
        .select_related(None)
        .filter(reception_point_id=scope.reception_point_id, status=Status.AVAILABLE)
        .order_by("kind", "grade", "pk")
    )
