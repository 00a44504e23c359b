"""Scoped reads: what each role may see of donations, devices, transfers and stock counts.

- national admins: everything;
- a reception point's team: the devices on its shelves and those travelling to it;
- a refurbishing workshop: the devices, batches and donations routed to it;
- a donor company: its own donations (and their aggregated report, never a person).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from solidarnum.accounts.scope import Scope, scope_of

from .enums import ErasureResult, ErasureState
from .models import (
    Device,
    DeviceQuerySet,
    Donation,
    ErasureRecord,
    ImportBatch,
    ImportJob,
    Price,
    StockCount,
    Transfer,
)

# --- Data erasure --------------------------------------------------------------------------------
# Certificates belong to erasure records. A batch has no certificate of its own: the one a
# workshop uploads for a batch is copied onto every erasure record of the batch that has none
# (`import_services.attach_certificate`). So the records alone say what is on record, and the
# device page, the batch page and the check screen all read them through these helpers.


def erasure_state(*, has_successful_erasure: bool, has_certificate: bool) -> ErasureState:
    """`has_certificate`: a *successful* erasure carries a certificate (a failed pass's file
    proves nothing)."""
    if not has_successful_erasure:
        return ErasureState.NONE
    if has_certificate:
        return ErasureState.WITH_CERTIFICATE
    return ErasureState.WITHOUT_CERTIFICATE


def erasure_state_of(erasures: Iterable[ErasureRecord]) -> ErasureState:
    """The state from a device's erasure records already loaded (no query)."""
    successes = [e for e in erasures if e.result == ErasureResult.SUCCESS]
    return erasure_state(
        has_successful_erasure=bool(successes),
        has_certificate=any(e.certificate for e in successes),
    )


def with_erasure_state(qs: QuerySet[Device]) -> QuerySet[Device]:
    """Annotate `has_successful_erasure` and `has_erasure_certificate` (same query), for lists:
    `erasure_state(has_successful_erasure=..., has_certificate=...)` then gives the label."""
    successes = ErasureRecord.objects.filter(device=OuterRef("pk"), result=ErasureResult.SUCCESS)
    return qs.annotate(
        has_successful_erasure=Exists(successes),
        has_erasure_certificate=Exists(successes.exclude(certificate="")),
    )


def with_price_today(qs: DeviceQuerySet, on: date | None = None) -> DeviceQuerySet:
    """Annotate `price_today`: the price in force for the device's kind and grade (one query)."""
    price = (
        Price.objects.filter(
            kind=OuterRef("kind"),
            grade=OuterRef("grade"),
            valid_from__lte=on or timezone.localdate(),
        )
        .order_by("-valid_from")
        .values("amount")[:1]
    )
    return qs.annotate(
        price_today=Subquery(price, output_field=DecimalField(max_digits=7, decimal_places=2))
    )


def prices_today() -> dict[tuple[str, str], Decimal]:
    """The price in force for each kind and grade, in one query over the (small) price grid."""
    prices: dict[tuple[str, str], Decimal] = {}
    rows = (
        Price.objects.in_force()
        .order_by("kind", "grade", "-valid_from")
        .values_list("kind", "grade", "amount")
    )
    for kind, grade, amount in rows:
        prices.setdefault((kind, grade), amount)
    return prices


def price_for(kind: str, grade: str, on: date | None = None) -> Price | None:
    if not grade:
        return None
    return Price.objects.in_force(on).filter(kind=kind, grade=grade).order_by("-valid_from").first()


def devices_for(scope: Scope) -> DeviceQuerySet:
    qs = Device.objects.select_related("reception_point", "donation", "refurbisher")
    if scope.is_national_admin:
        return qs
    if scope.is_site_member:
        return qs.filter(
            Q(reception_point_id=scope.reception_point_id)
            | Q(transfer__to_point_id=scope.reception_point_id)
        )
    if scope.is_refurbisher_contact:
        return qs.filter(refurbisher_id=scope.refurbisher_id)
    return qs.none()


def get_device_or_404(request: HttpRequest, pk: int) -> Device:
    return get_object_or_404(devices_for(scope_of(request)), pk=pk)


def find_device(scope: Scope, code: str) -> Device | None:
    """A device of the caller's scope by serial number or IMEI (as scanned or typed)."""
    from .validators import normalize_serial

    code = normalize_serial(code)
    if not code:
        return None
    return devices_for(scope).filter(Q(serial_number=code) | Q(imei=code)).first()


def devices_of_beneficiary(beneficiary_id: int) -> DeviceQuerySet:
    """Devices reserved for or obtained by a person, latest change first (one query)."""
    return (
        Device.objects.filter(Q(reserved_for_id=beneficiary_id) | Q(sold_to_id=beneficiary_id))
        .select_related(None)
        .order_by("-status_changed_at", "-pk")
    )


def donations_for(scope: Scope) -> QuerySet[Donation]:
    qs = Donation.objects.select_related("donor", "refurbisher")
    if scope.is_national_admin:
        return qs
    if scope.is_donor_contact:
        return qs.filter(donor_id=scope.donor_id)
    if scope.is_refurbisher_contact:
        return qs.filter(refurbisher_id=scope.refurbisher_id)
    return qs.none()


def get_donation_or_404(request: HttpRequest, pk: int) -> Donation:
    return get_object_or_404(donations_for(scope_of(request)), pk=pk)


def batches_for(scope: Scope) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.select_related("refurbisher", "donation", "donation__donor")
    if scope.is_national_admin:
        return qs
    if scope.is_refurbisher_contact:
        return qs.filter(refurbisher_id=scope.refurbisher_id)
    return qs.none()


def get_batch_or_404(request: HttpRequest, pk: int) -> ImportBatch:
    return get_object_or_404(batches_for(scope_of(request)), pk=pk)


def transfers_for(scope: Scope) -> QuerySet[Transfer]:
    qs = Transfer.objects.select_related("from_point", "from_refurbisher", "to_point")
    if scope.is_national_admin:
        return qs
    if scope.is_site_member:
        site = scope.reception_point_id
        return qs.filter(Q(to_point_id=site) | Q(from_point_id=site))
    if scope.is_refurbisher_contact:
        return qs.filter(from_refurbisher_id=scope.refurbisher_id)
    return qs.none()


def get_transfer_or_404(request: HttpRequest, pk: int) -> Transfer:
    return get_object_or_404(transfers_for(scope_of(request)), pk=pk)


def stock_counts_for(scope: Scope) -> QuerySet[StockCount]:
    qs = StockCount.objects.select_related("reception_point", "started_by")
    if scope.is_national_admin:
        return qs
    if scope.is_site_member:
        return qs.filter(reception_point_id=scope.reception_point_id)
    return qs.none()


def get_stock_count_or_404(request: HttpRequest, pk: int) -> StockCount:
    return get_object_or_404(stock_counts_for(scope_of(request)), pk=pk)


def import_jobs_for(scope: Scope) -> QuerySet[ImportJob]:
    """A background import is seen by the person who sent the file, in the role they sent it
    with (a workshop contact, for their workshop; a national admin): nobody else."""
    qs = ImportJob.objects.select_related("donation", "batch")
    if scope.user is None:
        return qs.none()
    if scope.is_national_admin:
        return qs.filter(created_by=scope.user)
    if scope.is_refurbisher_contact:
        return qs.filter(created_by=scope.user, refurbisher_id=scope.refurbisher_id)
    return qs.none()


def get_import_job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(import_jobs_for(scope_of(request)), pk=pk)


# --- Outreach packs ------------------------------------------------------------------------------


def givable_devices_count(reception_point_id: int, kind: str) -> int:
    """How many devices of `kind` a reception point could put in outreach packs now (one query,
    on the `reception_point, status, kind` index)."""
    return Device.objects.filter(
        reception_point_id=reception_point_id, kind=kind, status="available"
    ).count()
