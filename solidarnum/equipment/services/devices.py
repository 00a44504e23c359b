"""Registering devices, manual status changes, data erasure, the volunteer check."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.scope import Scope
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .. import lifecycle, permissions
from ..enums import (
    CheckAnswer,
    CheckPoint,
    DeviceKind,
    ErasureResult,
    Status,
)
from ..models import (
    Device,
    DeviceCheck,
    DeviceEvent,
    Donation,
    ErasureRecord,
)
from ._base import ServiceError, _locked, _move, normalize_serial


@transaction.atomic
def register_device(*, actor: Any, at: datetime | None = None, **fields: Any) -> Device:
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
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=_received_reason(donation),
    )
    return device


# Rows per INSERT when devices are registered in bulk (well under PostgreSQL's 65,535
# parameters per statement).
BULK_SIZE = 500


@transaction.atomic
def register_devices(*, actor: Any, devices: list[Device], at: datetime | None = None) -> None:
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
        [_received_event(device, actor=actor, at=at) for device in devices],
        batch_size=BULK_SIZE,
    )


def _received_event(device: Device, *, actor: Any, at: datetime) -> DeviceEvent:
    """The first line of a device's history (unsaved), as `register_device` writes it."""
    return DeviceEvent(
        device=device,
        from_status="",
        to_status=Status.RECEIVED,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=_received_reason(device.donation),
    )


def _received_reason(donation: Donation) -> str:
    return _("Enregistré par l'atelier (don %(ref)s)") % {"ref": donation.reference}


@transaction.atomic
def change_status(*, scope: Scope, device: Device, to_status: str, reason: str = "") -> Device:
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
    _move(device, target, actor=scope.user, reason=reason)
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
    *, scope: Scope, devices: Iterable[Device], to_status: str, reason: str = ""
) -> int:
    """The same manual move for several devices: all or nothing."""
    count = 0
    for device in devices:
        try:
            change_status(scope=scope, device=device, to_status=to_status, reason=reason)
        except ServiceError as error:
            raise ServiceError(f"{device.serial_number} : {error}") from error
        count += 1
    return count


# --- Data erasure --------------------------------------------------------------------------------


def has_successful_erasure(device: Device) -> bool:
    return device.erasures.filter(result=ErasureResult.SUCCESS).exists()


@transaction.atomic
def record_erasure(
    *, scope: Scope, device: Device, certificate: File | None = None, **fields: Any
) -> ErasureRecord:
    if not permissions.can_record_erasure(scope, device):
        raise ServiceError(_("Vous ne pouvez pas enregistrer d'effacement pour cet appareil."))
    erasure = ErasureRecord(device=device, recorded_by=scope.user, **fields)
    if certificate:
        erasure.certificate = certificate
    erasure.full_clean()
    erasure.save()
    record(
        actor=scope.user,
        action=AuditAction.CREATE,
        obj=erasure,
        changed_fields=sorted([*fields, *(["certificate"] if certificate else [])]),
    )
    return erasure


# --- Volunteer check -----------------------------------------------------------------------------


def applicable_points(kind: str) -> list[CheckPoint]:
    """Every point applies except a battery and camera on a desktop, a camera on a hotspot."""
    skip: set[CheckPoint] = set()
    if kind == DeviceKind.DESKTOP:
        skip = {CheckPoint.BATTERY, CheckPoint.CAMERA, CheckPoint.CHARGER}
    elif kind == DeviceKind.HOTSPOT:
        skip = {CheckPoint.CAMERA, CheckPoint.SOUND, CheckPoint.INPUT, CheckPoint.ACCOUNTS}
    elif kind == DeviceKind.BASIC_PHONE:
        skip = {CheckPoint.WIFI}
    return [point for point in CheckPoint if point not in skip]


@transaction.atomic
def record_check(
    *,
    scope: Scope,
    device: Device,
    answers: dict[str, str],
    battery_health: int | None = None,
    grade: str = "",
    comment: str = "",
) -> DeviceCheck:
    """Save a check: all right makes the device "disponible", any failure sends it to repair."""
    device = _locked(device)
    if device.status != Status.TO_CHECK:
        raise ServiceError(
            _("Cet appareil n'est pas à contrôler (statut : %(status)s).")
            % {"status": Status(device.status).label}
        )
    if not permissions.can_check(scope, device):
        raise ServiceError(
            _(
                "Le contrôle est réservé aux personnes du point d'accueil ayant la compétence "
                "reconditionnement."
            )
        )
    points = applicable_points(device.kind)
    clean: dict[str, str] = {}
    for point in points:
        answer = answers.get(point.value)
        if answer not in CheckAnswer.values:
            raise ServiceError(_("Répondez au point « %(point)s ».") % {"point": point.label})
        clean[point.value] = answer
    threshold = settings.EQUIPMENT_BATTERY_MIN_PERCENT
    battery_failed = False
    if clean.get(CheckPoint.BATTERY) not in (None, CheckAnswer.NOT_APPLICABLE):
        if battery_health is None:
            raise ServiceError(_("Indiquez la santé de la batterie mesurée, en %."))
        if battery_health < threshold:
            clean[CheckPoint.BATTERY.value] = CheckAnswer.FAIL
            battery_failed = True
    failed = [CheckPoint(code) for code, answer in clean.items() if answer == CheckAnswer.FAIL]
    passed = not failed
    comment = comment.strip()
    if not passed and not comment and not battery_failed:
        raise ServiceError(_("Décrivez ce qui ne va pas dans le commentaire."))
    if grade:
        device.grade = grade
    if passed:
        if not has_successful_erasure(device):
            raise ServiceError(
                _(
                    "Cet appareil ne peut pas être mis en vente : aucun effacement des données "
                    "réussi n'est enregistré. Demandez le certificat à l'atelier."
                )
            )
        if not device.grade:
            raise ServiceError(_("Indiquez le grade de l'appareil (A, B ou C)."))
    if battery_health is not None:
        device.battery_health = battery_health
    assert device.reception_point is not None  # can_check: the device is on the checker's site
    check = DeviceCheck.objects.create(
        device=device,
        reception_point=device.reception_point,
        performed_by=scope.user,
        answers=clean,
        battery_health=battery_health,
        passed=passed,
        comment=comment,
    )
    if passed:
        _move(device, Status.AVAILABLE, actor=scope.user, reason=_("Contrôle réussi"))
    else:
        labels = ", ".join(str(point.label) for point in failed)
        if battery_failed:
            labels += " " + _("(batterie à %(value)s %%, seuil %(min)s %%)") % {
                "value": battery_health,
                "min": threshold,
            }
        reason = _("Contrôle : %(points)s") % {"points": labels}
        if comment:
            reason += f" · {comment}"
        _move(device, Status.TO_REPAIR, actor=scope.user, reason=reason)
    device.save(
        update_fields=["status", "status_changed_at", "grade", "battery_health", "updated_at"]
    )
    return check
