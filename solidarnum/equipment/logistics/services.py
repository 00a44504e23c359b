"""Transfers between places and stock counts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.equipment import permissions
from solidarnum.equipment.enums import (
    SHELF_STATUSES,
    DeviceKind,
    Status,
    StockCountStatus,
    TransferStatus,
)
from solidarnum.equipment.lifecycle import _locked, _log_place, _move
from solidarnum.equipment.models import Device, StockCount, StockCountScan, Transfer, TransferItem
from solidarnum.equipment.validators import normalize_serial
from solidarnum.network.models import ReceptionPoint, RefurbishingPartner
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

# --- Transfers -----------------------------------------------------------------------------------

# What may leave a reception point for another one.
TRANSFERABLE_FROM_SITE = frozenset(
    {Status.TO_CHECK, Status.AVAILABLE, Status.TO_REPAIR, Status.SPARE_PARTS, Status.AFTER_SALES}
)


@transaction.atomic
def send_transfer(
    *,
    acting_user: User,
    scope: Scope,
    devices: Iterable[Device],
    to_point: ReceptionPoint,
    from_point: ReceptionPoint | None = None,
    from_refurbisher: RefurbishingPartner | None = None,
    note: str = "",
) -> Transfer:
    """Send devices from a workshop or a site to a site. All listed devices go, or none."""
    if (from_point is None) == (from_refurbisher is None):
        raise ServiceError(_("Indiquez d'où partent les appareils."))
    if from_point is not None and from_point.pk == to_point.pk:
        raise ServiceError(_("Le point d'accueil de destination doit être différent du départ."))
    if not to_point.is_active:
        raise ServiceError(_("Ce point d'accueil n'est plus actif."))
    if not scope.is_national_admin:
        if from_refurbisher is not None and not (
            scope.is_refurbisher_contact and scope.refurbisher_id == from_refurbisher.pk
        ):
            raise ServiceError(_("Vous ne pouvez envoyer que les appareils de votre atelier."))
        if from_point is not None and not (
            scope.role in permissions.SITE_STAFF and scope.reception_point_id == from_point.pk
        ):
            raise ServiceError(
                _("Vous ne pouvez envoyer que les appareils de votre point d'accueil.")
            )
    ids = sorted({device.pk for device in devices})
    if not ids:
        raise ServiceError(_("Choisissez au moins un appareil à envoyer."))
    locked = list(Device.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise ServiceError(_("Un des appareils n'existe plus."))
    for device in locked:
        if device.transfer_id is not None:
            raise ServiceError(
                _("%(serial)s est déjà en cours de transfert.") % {"serial": device.serial_number}
            )
        if from_refurbisher is not None:
            ok = (
                device.refurbisher_id == from_refurbisher.pk
                and device.reception_point_id is None
                and device.status == Status.BACK_FROM_WORKSHOP
            )
            if not ok:
                raise ServiceError(
                    _(
                        "%(serial)s n'est pas prêt à partir de l'atelier (il doit être « retour "
                        "atelier »)."
                    )
                    % {"serial": device.serial_number}
                )
        else:
            assert from_point is not None
            if device.reception_point_id != from_point.pk:
                raise ServiceError(
                    _("%(serial)s n'est pas dans ce point d'accueil.")
                    % {"serial": device.serial_number}
                )
            if device.status not in TRANSFERABLE_FROM_SITE:
                raise ServiceError(
                    _("%(serial)s ne peut pas être transféré (statut : %(status)s).")
                    % {"serial": device.serial_number, "status": Status(device.status).label}
                )
    transfer = Transfer.objects.create(
        from_point=from_point,
        from_refurbisher=from_refurbisher,
        to_point=to_point,
        sent_by=acting_user,
        note=note.strip(),
    )
    TransferItem.objects.bulk_create(TransferItem(transfer=transfer, device=d) for d in locked)
    for device in locked:
        _log_place(
            device,
            acting_user=acting_user,
            reason=_("Envoyé vers %(to)s (%(ref)s)")
            % {"to": to_point.name, "ref": transfer.reference},
        )
        device.reception_point = None
        device.transfer = transfer
        device.save(update_fields=["reception_point", "transfer", "updated_at"])
    record(actor=acting_user, action=AuditAction.CREATE, obj=transfer, changed_fields=["items"])
    return transfer


def _arrive(device: Device, transfer: Transfer, *, acting_user: User | None) -> None:
    device.transfer = None
    device.reception_point_id = transfer.to_point_id
    reason = _("Reçu à %(to)s (%(ref)s)") % {
        "to": transfer.to_point.name,
        "ref": transfer.reference,
    }
    if device.status == Status.BACK_FROM_WORKSHOP:
        _move(device, Status.TO_CHECK, acting_user=acting_user, reason=reason)
    else:
        _log_place(device, acting_user=acting_user, reason=reason)
    device.save(
        update_fields=["transfer", "reception_point", "status", "status_changed_at", "updated_at"]
    )


@transaction.atomic
def receive_transfer(
    *,
    acting_user: User,
    scope: Scope,
    transfer: Transfer,
    received_ids: Iterable[int],
    discrepancy_note: str = "",
) -> Transfer:
    """Tick what arrived. What did not stays with the transfer, reported as a discrepancy."""
    transfer = Transfer.objects.select_for_update().select_related("to_point").get(pk=transfer.pk)
    if transfer.status != TransferStatus.IN_TRANSIT:
        raise ServiceError(_("Ce transfert a déjà été réceptionné."))
    if not permissions.can_receive(scope, transfer):
        raise ServiceError(_("Seul le point d'accueil de destination réceptionne ce transfert."))
    received = set(received_ids)
    items = list(transfer.items.select_related("device").order_by("pk"))
    unknown = received - {item.device_id for item in items}
    if unknown:
        raise ServiceError(_("Un appareil coché ne fait pas partie de ce transfert."))
    missing = [item for item in items if item.device_id not in received]
    discrepancy_note = discrepancy_note.strip()
    if missing and not discrepancy_note:
        raise ServiceError(
            ngettext(
                "%(n)s appareil non coché : décrivez l'écart (manquant, abîmé…) avant de valider.",
                "%(n)s appareils non cochés : décrivez l'écart (manquant, abîmé…) avant "
                "de valider.",
                len(missing),
            )
            % {"n": len(missing)}
        )
    devices = {d.pk: d for d in Device.objects.select_for_update().filter(transfer=transfer)}
    for item in items:
        item.received = item.device_id in received
        item.save(update_fields=["received"])
        if item.received and item.device_id in devices:
            _arrive(devices[item.device_id], transfer, acting_user=acting_user)
    transfer.status = TransferStatus.DISCREPANCY if missing else TransferStatus.RECEIVED
    transfer.received_by = acting_user
    transfer.received_at = timezone.now()
    transfer.discrepancy_note = discrepancy_note
    transfer.save(update_fields=["status", "received_by", "received_at", "discrepancy_note"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=transfer,
        changed_fields=["status", "received_at", "discrepancy_note"],
    )
    return transfer


@transaction.atomic
def receive_late(*, acting_user: User, scope: Scope, transfer: Transfer, device: Device) -> Device:
    """A device reported missing turns up after all."""
    transfer = Transfer.objects.select_for_update().select_related("to_point").get(pk=transfer.pk)
    if not permissions.can_receive(scope, transfer):
        raise ServiceError(_("Seul le point d'accueil de destination réceptionne ce transfert."))
    device = _locked(device)
    item = transfer.items.filter(device=device, received=False).first()
    if item is None or device.transfer_id != transfer.pk:
        raise ServiceError(_("Cet appareil n'est pas en écart sur ce transfert."))
    item.received = True
    item.save(update_fields=["received"])
    _arrive(device, transfer, acting_user=acting_user)
    return device


# --- Stock counts --------------------------------------------------------------------------------

# What a stock count expects to find on the shelves.
COUNTED_STATUSES = SHELF_STATUSES | {Status.SPARE_PARTS}


@transaction.atomic
def start_stock_count(
    *, acting_user: User, scope: Scope, reception_point: ReceptionPoint
) -> StockCount:
    if not (
        scope.is_national_admin
        or (permissions.can_count_stock(scope) and scope.reception_point_id == reception_point.pk)
    ):
        raise ServiceError(_("Vous ne pouvez pas faire l'inventaire de ce point d'accueil."))
    try:
        with transaction.atomic():
            stock_count = StockCount.objects.create(
                reception_point=reception_point, started_by=acting_user
            )
    except IntegrityError as error:
        raise ServiceError(
            _("Un inventaire est déjà en cours dans ce point d'accueil : terminez-le d'abord.")
        ) from error
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=stock_count,
        changed_fields=["reception_point"],
    )
    return stock_count


@transaction.atomic
def scan(
    *, acting_user: User, scope: Scope, stock_count: StockCount, code: str
) -> tuple[StockCountScan, bool]:
    """Record one scanned or typed serial. Returns the scan and whether it was expected here."""
    if stock_count.status != StockCountStatus.OPEN:
        raise ServiceError(_("Cet inventaire est terminé."))
    serial = normalize_serial(code)
    if not serial:
        raise ServiceError(_("Scannez ou tapez un numéro de série."))
    if len(serial) > 60:
        raise ServiceError(_("Ce numéro est trop long (60 caractères au maximum)."))
    device = Device.objects.filter(Q(serial_number=serial) | Q(imei=serial)).first()
    scan_row, created = StockCountScan.objects.get_or_create(
        stock_count=stock_count,
        serial=device.serial_number if device else serial,
        defaults={"device": device, "scanned_by": acting_user},
    )
    if not created:
        raise ServiceError(_("%(serial)s est déjà compté.") % {"serial": scan_row.serial})
    expected = bool(
        device
        and device.reception_point_id == stock_count.reception_point_id
        and device.status in COUNTED_STATUSES
    )
    return scan_row, expected


def stock_count_gaps(stock_count: StockCount) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(missing, unexpected) as lists of small dicts, computed from the current stock."""
    expected = {
        d["pk"]: d
        for d in Device.objects.filter(
            reception_point_id=stock_count.reception_point_id, status__in=COUNTED_STATUSES
        ).values("pk", "serial_number", "kind", "brand", "model_name", "status")
    }
    scans = list(stock_count.scans.values("serial", "device_id"))
    scanned_ids = {row["device_id"] for row in scans if row["device_id"]}
    missing = [
        {
            "id": d["pk"],
            "serial": d["serial_number"],
            "label": f"{DeviceKind(d['kind']).label} {d['brand']} {d['model_name']}",
            "status": str(Status(d["status"]).label),
        }
        for pk, d in sorted(expected.items())
        if pk not in scanned_ids
    ]
    unexpected = [
        {"serial": row["serial"], "id": row["device_id"]}
        for row in scans
        if row["device_id"] not in expected
    ]
    return missing, unexpected


@transaction.atomic
def close_stock_count(*, acting_user: User, scope: Scope, stock_count: StockCount) -> StockCount:
    stock_count = StockCount.objects.select_for_update().get(pk=stock_count.pk)
    if stock_count.status != StockCountStatus.OPEN:
        raise ServiceError(_("Cet inventaire est déjà terminé."))
    missing, unexpected = stock_count_gaps(stock_count)
    stock_count.missing = missing
    stock_count.unexpected = unexpected
    stock_count.status = StockCountStatus.CLOSED
    stock_count.closed_at = timezone.now()
    stock_count.save(update_fields=["missing", "unexpected", "status", "closed_at"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=stock_count,
        changed_fields=["status", "missing", "unexpected"],
    )
    return stock_count
