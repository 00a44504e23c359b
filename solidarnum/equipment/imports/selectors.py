"""Reads of the batch pages: a batch's devices with their erasure, its counts."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet

from solidarnum.equipment.enums import ErasureResult
from solidarnum.equipment.models import Device, ErasureRecord, ImportBatch


def batch_devices(batch: ImportBatch) -> QuerySet[Device]:
    erasures = ErasureRecord.objects.filter(device=OuterRef("pk"))
    return batch.devices.annotate(
        has_erasure=Exists(erasures.filter(result=ErasureResult.SUCCESS)),
        has_certificate=Exists(erasures.exclude(certificate="")),
    )


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
