"""Registering devices, manual status changes, data erasure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.equipment import lifecycle, permissions
from solidarnum.equipment.enums import DeviceKind, ErasureResult, Status
from solidarnum.equipment.lifecycle import _locked, _move
from solidarnum.equipment.models import Device, DeviceEvent, Donation, ErasureRecord
from solidarnum.equipment.validators import normalize_serial
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction


@transaction.atomic
def register_device(*, acting_user: User, at: datetime | None = None, **fields: Any) -> Device:
    """Create a device as "reçu" with the first line of its history."""
    fields["serial_number"] = normalize_serial(fields["serial_number"])
    if fields.get("imei"):
        fields["imei"] = normalize_serial(fields["imei"])
    else:
        fields["imei"] = None
    donation: Donation = fields["donation"]
    fields.setdefault("refurbisher_id", donation.refurbisher_id)
    device = Device.objects.create(
        status=Status.RECEIVED, status_changed_at=at or timezone.now(), **fields
    )
    DeviceEvent.objects.create(
        device=device,
        from_status="",
        to_status=Status.RECEIVED,
        at=at or timezone.now(),
        actor=acting_user,
        reason=_received_reason(donation),
    )
    return device


# Rows per INSERT when devices are registered in bulk (well under PostgreSQL's 65,535
# parameters per statement).
BULK_SIZE = 500


@transaction.atomic
def register_devices(
    *, acting_user: User, devices: list[Device], at: datetime | None = None
) -> None:
    """`register_device` for many new devices at once (a workshop's file): each is "reçu" with
    the first line of its history, in two INSERTs per `BULK_SIZE` devices."""
    at = at or timezone.now()
    for device in devices:
        device.serial_number = normalize_serial(device.serial_number)
        device.imei = normalize_serial(device.imei) if device.imei else None
        device.status = Status.RECEIVED
        device.status_changed_at = at
        if device.refurbisher_id is None:
            device.refurbisher_id = device.donation.refurbisher_id
    Device.objects.bulk_create(devices, batch_size=BULK_SIZE)  # sets each device's pk
    DeviceEvent.objects.bulk_create(
        [_received_event(device, acting_user=acting_user, at=at) for device in devices],
        batch_size=BULK_SIZE,
    )


def _received_event(device: Device, *, acting_user: User, at: datetime) -> DeviceEvent:
    """The first line of a device's history (unsaved), as `register_device` writes it."""
    return DeviceEvent(
        device=device,
        from_status="",
        to_status=Status.RECEIVED,
        at=at,
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        reason=_received_reason(device.donation),
    )


def _received_reason(donation: Donation) -> str:
    return _("Enregistré par l'atelier (don %(ref)s)") % {"ref": donation.reference}


@transaction.atomic
def change_status(
    *, acting_user: User, scope: Scope, device: Device, to_status: str, reason: str = ""
) -> Device:
    """A manual transition chosen by a person (the dedicated ones are refused here)."""
    device = _locked(device)
    target = Status(to_status)
    if (Status(device.status), target) in lifecycle.DEDICATED or not lifecycle.is_allowed(
        device.status, target
    ):
        raise ServiceError(
            str(lifecycle.FORBIDDEN_MESSAGE)
            % {"from": Status(device.status).label, "to": target.label}
        )
    if not permissions.can_move(scope, device, target):
        raise ServiceError(_("Vous ne pouvez pas changer le statut de cet appareil."))
    reason = reason.strip()
    if target in lifecycle.REASON_REQUIRED and not reason:
        raise ServiceError(_("Indiquez le motif de ce changement."))
    if target == Status.AFTER_SALES:
        _check_warranty(device)
    _move(device, target, acting_user=acting_user, reason=reason)
    device.save(update_fields=["status", "status_changed_at", "updated_at"])
    return device


def _check_warranty(device: Device) -> None:
    months = settings.EQUIPMENT_WARRANTY_MONTHS
    if device.sold_at is None:
        return
    limit = device.sold_at + timedelta(days=round(months * 30.44))
    if timezone.now() > limit:
        raise ServiceError(
            _("La garantie de %(months)s mois est dépassée : vendu le %(date)s.")
            % {
                "months": months,
                "date": formats.date_format(
                    timezone.localtime(device.sold_at), "SHORT_DATE_FORMAT"
                ),
            }
        )


@transaction.atomic
def bulk_change_status(
    *, acting_user: User, scope: Scope, devices: Iterable[Device], to_status: str, reason: str = ""
) -> int:
    """The same manual move for several devices: all or nothing."""
    count = 0
    for device in devices:
        try:
            change_status(
                acting_user=acting_user,
                scope=scope,
                device=device,
                to_status=to_status,
                reason=reason,
            )
        except ServiceError as error:
            raise ServiceError(f"{device.serial_number} : {error}") from error
        count += 1
    return count


# --- Data erasure --------------------------------------------------------------------------------


def has_successful_erasure(device: Device) -> bool:
    return device.erasures.filter(result=ErasureResult.SUCCESS).exists()


@transaction.atomic
def record_erasure(
    *,
    acting_user: User,
    scope: Scope,
    device: Device,
    certificate: File[bytes] | None = None,
    **fields: Any,
) -> ErasureRecord:
    if not permissions.can_record_erasure(scope, device):
        raise ServiceError(_("Vous ne pouvez pas enregistrer d'effacement pour cet appareil."))
    erasure = ErasureRecord(device=device, recorded_by=acting_user, **fields)
    if certificate:
        erasure.certificate = certificate
    erasure.full_clean()
    erasure.save()
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=erasure,
        changed_fields=sorted([*fields, *(["certificate"] if certificate else [])]),
    )
    return erasure


# --- Outreach packs ------------------------------------------------------------------------------


@transaction.atomic
def give_for_outreach(
    *,
    acting_user: User,
    reception_point_id: int,
    count: int,
    reason: str,
    kind: str = DeviceKind.BASIC_PHONE,
) -> list[Device]:
    """Take `count` available devices of `kind` at a reception point for outreach packs: they
    become "donné (pack maraude)" with their history line, or nothing moves.

    Devices are locked `FOR UPDATE SKIP LOCKED`, oldest on the shelf first, so two people
    handing packs at the same moment never take the same device; the caller's transaction (a
    pack handover) keeps the locks until it commits. Raises `ServiceError` when fewer than
    `count` are free."""
    devices = list(
        Device.objects.filter(
            reception_point_id=reception_point_id, kind=kind, status=Status.AVAILABLE
        )
        .select_for_update(skip_locked=True)
        .order_by("status_changed_at", "id")[:count]
    )
    if len(devices) < count:
        raise ServiceError(
            ngettext(
                "Il ne reste que %(count)s « %(kind)s » disponible : aucun pack n'a été remis.",
                "Il ne reste que %(count)s « %(kind)s » disponibles : aucun pack n'a été remis.",
                len(devices),
            )
            % {"count": len(devices), "kind": DeviceKind(kind).label}
        )
    at = timezone.now()
    for device in devices:
        _move(device, Status.GIVEN, acting_user=acting_user, reason=reason, at=at)
    Device.objects.bulk_update(devices, ["status", "status_changed_at"], batch_size=BULK_SIZE)
    for device in devices:
        record(actor=acting_user, action=AuditAction.UPDATE, obj=device, changed_fields=["status"])
    return devices
