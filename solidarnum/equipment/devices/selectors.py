"""Reads of the device pages: the stock page's counts, an erasure record and its certificate."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from solidarnum.accounts.scope import scope_of
from solidarnum.equipment.enums import Status, TransferStatus
from solidarnum.equipment.models import Device, ErasureRecord, Transfer
from solidarnum.equipment.selectors import devices_for

# The statuses counted on the stock page.
STOCK_STATUSES = (Status.AVAILABLE, Status.TO_CHECK, Status.TO_REPAIR, Status.RESERVED)


def stock_counts(point_ids: list[int]) -> dict[int, dict[tuple[str, str, str], int]]:
    """Devices per point and (status, kind, grade), in one aggregate query (served by the
    reception_point/status/kind/grade index)."""
    counts: dict[int, dict[tuple[str, str, str], int]] = defaultdict(dict)
    aggregate = (
        Device.objects.filter(reception_point_id__in=point_ids, status__in=STOCK_STATUSES)
        .values("reception_point_id", "status", "kind", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in aggregate:
        counts[row["reception_point_id"]][(row["status"], row["kind"], row["grade"])] = row["n"]
    return counts


def incoming_transfer_counts(point_ids: list[int]) -> dict[int, int]:
    """Transfers on their way to each point, in one query."""
    return dict(
        Transfer.objects.filter(to_point_id__in=point_ids, status=TransferStatus.IN_TRANSIT)
        .values("to_point_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("to_point_id", "n")
    )


def get_erasure_or_404(request: HttpRequest, pk: int) -> ErasureRecord:
    """An erasure record of a device the caller may see; any other answers 404."""
    visible = devices_for(scope_of(request)).values("pk")
    return get_object_or_404(
        ErasureRecord.objects.select_related("device").filter(device__in=visible), pk=pk
    )
