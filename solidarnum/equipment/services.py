"""Everything that changes a donation or a device. Views and tasks call these, nothing else.

Every status change goes through `_move`, which locks nothing by itself: callers hold the
device row locked (`select_for_update`) inside a transaction, so two people acting on the same
device at the same moment are served one after the other and the second sees the new status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.network.models import DonorCompany, ReceptionPoint, RefurbishingPartner
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from . import lifecycle, permissions
from .enums import (
    KINDS_WITH_IMEI,
    SHELF_STATUSES,
    CheckAnswer,
    CheckPoint,
    DeviceKind,
    ErasureResult,
    Status,
    StockCountStatus,
    TransferStatus,
)
from .models import (
    Device,
    DeviceCheck,
    DeviceEvent,
    Donation,
    DonationItem,
    ErasureRecord,
    Price,
    StockCount,
    StockCountScan,
    Transfer,
    TransferItem,
)


class ServiceError(Exception):
    """A refused action; the message is French and shown as is."""


_SERIAL_JUNK = re.compile(r"[\s\-_./]+")


def normalize_serial(value: str) -> str:
    """Serial numbers and IMEIs as stored: upper case, no spaces or separators."""
    return _SERIAL_JUNK.sub("", (value or "").strip()).upper()


# --- Lifecycle -----------------------------------------------------------------------------------


def _locked(device: Device) -> Device:
    """Re-read the device row under a lock (inside the caller's transaction)."""
    return Device.objects.select_for_update().get(pk=device.pk)


def _move(
    device: Device,
    to_status: Status,
    *,
    actor: Any,
    reason: str = "",
    at: datetime | None = None,
) -> DeviceEvent:
    if not lifecycle.is_allowed(device.status, to_status):
        raise ServiceError(
            str(lifecycle.FORBIDDEN_MESSAGE)
            % {"from": Status(device.status).label, "to": Status(to_status).label}
        )
    at = at or timezone.now()
    event = DeviceEvent.objects.create(
        device=device,
        from_status=device.status,
        to_status=to_status,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason[:255],
        reception_point_id=device.reception_point_id,
    )
    device.status = to_status
    device.status_changed_at = at
    return event


def _log_place(device: Device, *, actor: Any, reason: str, at: datetime | None = None) -> None:
    """A move of place without a change of status, kept in the same history."""
    DeviceEvent.objects.create(
        device=device,
        from_status=device.status,
        to_status=device.status,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason[:255],
        reception_point_id=device.reception_point_id,
    )


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
        reason=_("Enregistré par l'atelier (don %(ref)s)") % {"ref": donation.reference},
    )
    return device


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
    if target == Status.RECYCLED or target == Status.SPARE_PARTS:
        pass  # stays where it is until it leaves for the recycler or the parts shelf
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


# --- Reservation and sale ------------------------------------------------------------------------


def _has_current_access(beneficiary: Beneficiary, today: date) -> bool:
    for period in beneficiary.access_periods.all():
        if period.starts_on <= today <= period.effective_end:
            return True
    return False


@transaction.atomic
def reserve(
    *, scope: Scope, device: Device, beneficiary: Beneficiary, days: int | None = None
) -> Device:
    """Hold an available device for a person. The row lock makes the last device go to one."""
    device = _locked(device)
    if device.status != Status.AVAILABLE:
        raise ServiceError(
            _(
                "Cet appareil n'est plus disponible : il vient d'être réservé ou a changé "
                "de statut. Choisissez-en un autre."
            )
        )
    if not permissions.can_reserve(scope, device):
        raise ServiceError(_("Vous ne pouvez pas réserver cet appareil."))
    if beneficiary.reception_point_id != device.reception_point_id:
        raise ServiceError(_("La personne et l'appareil ne sont pas au même point d'accueil."))
    if beneficiary.merged_into_id or beneficiary.anonymised_at:
        raise ServiceError(_("Ce dossier n'est plus actif."))
    if not _has_current_access(beneficiary, timezone.localdate()):
        raise ServiceError(
            _("Cette personne n'a pas d'accès en cours : il faut une orientation validée.")
        )
    days = days or settings.EQUIPMENT_RESERVATION_DAYS
    until = timezone.now() + timedelta(days=days)
    _move(
        device,
        Status.RESERVED,
        actor=scope.user,
        reason=_("Réservé jusqu'au %(date)s")
        % {"date": formats.date_format(timezone.localtime(until), "SHORT_DATE_FORMAT")},
    )
    device.reserved_for = beneficiary
    device.reserved_until = until
    device.save(
        update_fields=[
            "status",
            "status_changed_at",
            "reserved_for",
            "reserved_until",
            "updated_at",
        ]
    )
    add_entry(
        beneficiary=beneficiary,
        kind="equipment.device_reserved",
        summary=_("%(kind)s réservé jusqu'au %(date)s")
        % {
            "kind": device.get_kind_display(),
            "date": formats.date_format(timezone.localtime(until), "SHORT_DATE_FORMAT"),
        },
        actor=scope.user,
        obj=device,
    )
    return device


def _release(device: Device, *, actor: Any, reason: str, summary: str) -> None:
    beneficiary = device.reserved_for
    _move(device, Status.AVAILABLE, actor=actor, reason=reason)
    device.reserved_for = None
    device.reserved_until = None
    device.save(
        update_fields=[
            "status",
            "status_changed_at",
            "reserved_for",
            "reserved_until",
            "updated_at",
        ]
    )
    if beneficiary is not None:
        add_entry(
            beneficiary=beneficiary,
            kind="equipment.reservation_ended",
            summary=summary,
            actor=actor,
            obj=device,
        )


@transaction.atomic
def cancel_reservation(*, scope: Scope, device: Device, reason: str = "") -> Device:
    device = _locked(device)
    if device.status != Status.RESERVED:
        raise ServiceError(_("Cet appareil n'est pas réservé."))
    if not permissions.can_reserve(scope, device):
        raise ServiceError(_("Vous ne pouvez pas annuler cette réservation."))
    _release(
        device,
        actor=scope.user,
        reason=reason.strip() or _("Réservation annulée"),
        summary=_("Réservation de %(kind)s annulée") % {"kind": device.get_kind_display()},
    )
    return device


def expire_reservations(now: datetime | None = None) -> int:
    """Put back on sale the devices whose reservation has run out. Returns how many."""
    now = now or timezone.now()
    count = 0
    ids = list(
        Device.objects.filter(status=Status.RESERVED, reserved_until__lt=now).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            device = (
                Device.objects.select_for_update(of=("self",))
                .select_related("reserved_for")
                .get(pk=pk)
            )
            if device.status != Status.RESERVED or not device.reserved_until:
                continue
            if device.reserved_until >= now:
                continue
            _release(
                device,
                actor=None,
                reason=_("Réservation expirée"),
                summary=_("Réservation de %(kind)s expirée") % {"kind": device.get_kind_display()},
            )
            count += 1
    return count


@transaction.atomic
def record_sale(
    *, actor: Any, device: Device, price: Decimal | None = None, at: datetime | None = None
) -> Device:
    """The device leaves with the person it was reserved for. Called by the till."""
    device = (
        Device.objects.select_for_update(of=("self",))
        .select_related("reserved_for")
        .get(pk=device.pk)
    )
    if device.status != Status.RESERVED or device.reserved_for is None:
        raise ServiceError(_("Seul un appareil réservé pour une personne peut être vendu."))
    at = at or timezone.now()
    if price is None:
        from .selectors import price_for

        rule = price_for(device.kind, device.grade, timezone.localdate(at))
        if rule is None:
            raise ServiceError(_("Aucun prix solidaire n'est fixé pour ce type et ce grade."))
        price = rule.amount
    beneficiary = device.reserved_for
    _move(device, Status.SOLD, actor=actor, reason=_("Vendu"), at=at)
    device.sold_to = beneficiary
    device.sold_at = at
    device.sale_price = price
    device.reserved_for = None
    device.reserved_until = None
    device.save()
    add_entry(
        beneficiary=beneficiary,
        kind="equipment.device_obtained",
        summary=_("%(kind)s obtenu") % {"kind": device.get_kind_display()},
        actor=actor,
        milestone=Milestone.EQUIPPED,
        obj=device,
        at=at,
    )
    return device


# --- Donations -----------------------------------------------------------------------------------


@transaction.atomic
def declare_donation(
    *,
    scope: Scope,
    donor: DonorCompany,
    refurbisher: RefurbishingPartner,
    donated_on: date,
    source: str,
    pickup_place: str,
    quantities: dict[str, int],
    notes: str = "",
) -> Donation:
    if scope.is_donor_contact and donor.pk != scope.donor_id:
        raise ServiceError(_("Vous ne pouvez déclarer un don que pour votre entreprise."))
    if not (scope.is_national_admin or scope.is_donor_contact):
        raise ServiceError(_("Vous ne pouvez pas déclarer de don."))
    if not donor.is_active or not refurbisher.is_active:
        raise ServiceError(_("Cette entreprise ou cet atelier n'est plus actif."))
    quantities = {kind: n for kind, n in quantities.items() if n}
    if not quantities:
        raise ServiceError(_("Indiquez combien d'appareils sont donnés, au moins un type."))
    donation = Donation.objects.create(
        donor=donor,
        refurbisher=refurbisher,
        donated_on=donated_on,
        source=source,
        pickup_place=pickup_place,
        notes=notes,
        created_by=scope.user,
    )
    DonationItem.objects.bulk_create(
        DonationItem(donation=donation, kind=kind, expected_quantity=n)
        for kind, n in quantities.items()
    )
    record(
        actor=scope.user,
        action=AuditAction.CREATE,
        obj=donation,
        changed_fields=["donor", "refurbisher", "donated_on", "source", "pickup_place", "items"],
    )
    return donation


@transaction.atomic
def record_tax_receipt(
    *,
    scope: Scope,
    donation: Donation,
    number: str,
    issued_on: date,
    valued_amount: Decimal | None = None,
) -> Donation:
    if not permissions.can_record_tax_receipt(scope, donation):
        raise ServiceError(_("Seul l'atelier qui a valorisé le don enregistre le reçu fiscal."))
    number = number.strip()
    if not number:
        raise ServiceError(_("Indiquez le numéro du reçu fiscal."))
    if issued_on < donation.donated_on:
        raise ServiceError(_("Le reçu fiscal ne peut pas être antérieur au don."))
    donation.tax_receipt_number = number
    donation.tax_receipt_date = issued_on
    donation.valued_amount = valued_amount
    donation.save(
        update_fields=["tax_receipt_number", "tax_receipt_date", "valued_amount", "updated_at"]
    )
    record(
        actor=scope.user,
        action=AuditAction.UPDATE,
        obj=donation,
        changed_fields=["tax_receipt_number", "tax_receipt_date", "valued_amount"],
    )
    return donation


# --- Prices --------------------------------------------------------------------------------------


@transaction.atomic
def set_price(*, scope: Scope, kind: str, grade: str, amount: Decimal, valid_from: date) -> Price:
    """A new price from a date: today or later, never rewriting what was charged before."""
    if not scope.is_national_admin:
        raise ServiceError(_("Seule l'équipe nationale fixe les prix solidaires."))
    if valid_from < timezone.localdate():
        raise ServiceError(
            _(
                "Un nouveau prix s'applique à partir d'aujourd'hui ou plus tard, "
                "jamais dans le passé."
            )
        )
    price, created = Price.objects.update_or_create(
        kind=kind,
        grade=grade,
        valid_from=valid_from,
        defaults={"amount": amount, "created_by": scope.user},
    )
    record(
        actor=scope.user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=price,
        changed_fields=["kind", "grade", "amount", "valid_from"],
    )
    return price


@transaction.atomic
def delete_future_price(*, scope: Scope, price: Price) -> None:
    if not scope.is_national_admin:
        raise ServiceError(_("Seule l'équipe nationale fixe les prix solidaires."))
    if price.valid_from <= timezone.localdate():
        raise ServiceError(_("Un prix déjà appliqué ne peut pas être supprimé."))
    record(actor=scope.user, action=AuditAction.DELETE, obj=price, changed_fields=["amount"])
    price.delete()


# --- Transfers -----------------------------------------------------------------------------------

# What may leave a reception point for another one.
TRANSFERABLE_FROM_SITE = frozenset(
    {Status.TO_CHECK, Status.AVAILABLE, Status.TO_REPAIR, Status.SPARE_PARTS, Status.AFTER_SALES}
)


@transaction.atomic
def send_transfer(
    *,
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
        sent_by=scope.user,
        note=note.strip(),
    )
    TransferItem.objects.bulk_create(TransferItem(transfer=transfer, device=d) for d in locked)
    for device in locked:
        _log_place(
            device,
            actor=scope.user,
            reason=_("Envoyé vers %(to)s (%(ref)s)")
            % {"to": to_point.name, "ref": transfer.reference},
        )
        device.reception_point = None
        device.transfer = transfer
        device.save(update_fields=["reception_point", "transfer", "updated_at"])
    record(actor=scope.user, action=AuditAction.CREATE, obj=transfer, changed_fields=["items"])
    return transfer


def _arrive(device: Device, transfer: Transfer, *, actor: Any) -> None:
    device.transfer = None
    device.reception_point_id = transfer.to_point_id
    reason = _("Reçu à %(to)s (%(ref)s)") % {
        "to": transfer.to_point.name,
        "ref": transfer.reference,
    }
    if device.status == Status.BACK_FROM_WORKSHOP:
        _move(device, Status.TO_CHECK, actor=actor, reason=reason)
    else:
        _log_place(device, actor=actor, reason=reason)
    device.save(
        update_fields=["transfer", "reception_point", "status", "status_changed_at", "updated_at"]
    )


@transaction.atomic
def receive_transfer(
    *, scope: Scope, transfer: Transfer, received_ids: Iterable[int], discrepancy_note: str = ""
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
            _(
                "%(n)s appareil(s) non coché(s) : décrivez l'écart (manquant, abîmé…) avant de "
                "valider."
            )
            % {"n": len(missing)}
        )
    devices = {d.pk: d for d in Device.objects.select_for_update().filter(transfer=transfer)}
    for item in items:
        item.received = item.device_id in received
        item.save(update_fields=["received"])
        if item.received and item.device_id in devices:
            _arrive(devices[item.device_id], transfer, actor=scope.user)
    transfer.status = TransferStatus.DISCREPANCY if missing else TransferStatus.RECEIVED
    transfer.received_by = scope.user
    transfer.received_at = timezone.now()
    transfer.discrepancy_note = discrepancy_note
    transfer.save(update_fields=["status", "received_by", "received_at", "discrepancy_note"])
    record(
        actor=scope.user,
        action=AuditAction.UPDATE,
        obj=transfer,
        changed_fields=["status", "received_at", "discrepancy_note"],
    )
    return transfer


@transaction.atomic
def receive_late(*, scope: Scope, transfer: Transfer, device: Device) -> Device:
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
    _arrive(device, transfer, actor=scope.user)
    return device


# --- Stock counts --------------------------------------------------------------------------------

# What a stock count expects to find on the shelves.
COUNTED_STATUSES = SHELF_STATUSES | {Status.SPARE_PARTS}


@transaction.atomic
def start_stock_count(*, scope: Scope, reception_point: ReceptionPoint) -> StockCount:
    if not (
        scope.is_national_admin
        or (permissions.can_count_stock(scope) and scope.reception_point_id == reception_point.pk)
    ):
        raise ServiceError(_("Vous ne pouvez pas faire l'inventaire de ce point d'accueil."))
    try:
        with transaction.atomic():
            return StockCount.objects.create(reception_point=reception_point, started_by=scope.user)
    except IntegrityError as error:
        raise ServiceError(
            _("Un inventaire est déjà en cours dans ce point d'accueil : terminez-le d'abord.")
        ) from error


def scan(*, scope: Scope, stock_count: StockCount, code: str) -> tuple[StockCountScan, bool]:
    """Record one scanned or typed serial. Returns the scan and whether it was expected here."""
    if stock_count.status != StockCountStatus.OPEN:
        raise ServiceError(_("Cet inventaire est terminé."))
    serial = normalize_serial(code)
    if not serial:
        raise ServiceError(_("Scannez ou tapez un numéro de série."))
    if len(serial) > 60:
        raise ServiceError(_("Ce numéro est trop long (60 caractères au maximum)."))
    from django.db.models import Q

    device = Device.objects.filter(Q(serial_number=serial) | Q(imei=serial)).first()
    scan_row, created = StockCountScan.objects.get_or_create(
        stock_count=stock_count,
        serial=device.serial_number if device else serial,
        defaults={"device": device, "scanned_by": scope.user},
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
def close_stock_count(*, scope: Scope, stock_count: StockCount) -> StockCount:
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
        actor=scope.user,
        action=AuditAction.UPDATE,
        obj=stock_count,
        changed_fields=["status", "missing", "unexpected"],
    )
    return stock_count


def device_kind_needs_imei(kind: str) -> bool:
    return kind in KINDS_WITH_IMEI
