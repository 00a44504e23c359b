"""Reads of the batch pages: a batch's devices with their erasure, its counts."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from solidarnum.equipment.models import Device, ErasureRecord, ImportBatch
from solidarnum.equipment.selectors import with_erasure_state


def batch_devices(batch: ImportBatch) -> QuerySet[Device]:
    """The batch's devices with their erasure state (`selectors.with_erasure_state`)."""
    return with_erasure_state(batch.devices.all())


def device_counts(batch: ImportBatch) -> dict[str, int]:
    """Devices of the batch per status, in one aggregate query."""
    return dict(
        batch.devices.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def erasures_without_certificate(batch: ImportBatch) -> int:
    return ErasureRecord.objects.filter(device__batch=batch, certificate="").count()
