"""Reserving a device for a person, its end, and the sale (called by the till)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.common.errors import ServiceError
from solidarnum.equipment import permissions
from solidarnum.equipment.enums import Status
from solidarnum.equipment.lifecycle import _locked, _move
from solidarnum.equipment.models import Device
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

# --- Reservation and sale ------------------------------------------------------------------------


# What a reservation, its end and a sale change on a device: written to the audit trail, as
# they concern a person (a device's own moves are in its history, DeviceEvent).
RESERVATION = ["status", "reserved_for", "reserved_until"]


def _has_current_access(beneficiary: Beneficiary, today: date) -> bool:
    for period in beneficiary.access_periods.all():
        if period.starts_on <= today <= period.effective_end:
            return True
    return False


@transaction.atomic
def reserve(
    *,
    acting_user: User,
    scope: Scope,
    device: Device,
    beneficiary: Beneficiary,
    days: int | None = None,
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
        acting_user=acting_user,
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
        actor=acting_user,
        obj=device,
    )
    record(actor=acting_user, action=AuditAction.UPDATE, obj=device, changed_fields=RESERVATION)
    return device


def _release(device: Device, *, acting_user: User | None, reason: str, summary: str) -> None:
    beneficiary = device.reserved_for
    _move(device, Status.AVAILABLE, acting_user=acting_user, reason=reason)
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
            actor=acting_user,
            obj=device,
        )
    record(actor=acting_user, action=AuditAction.UPDATE, obj=device, changed_fields=RESERVATION)


@transaction.atomic
def cancel_reservation(
    *, acting_user: User, scope: Scope, device: Device, reason: str = ""
) -> Device:
    device = _locked(device)
    if device.status != Status.RESERVED:
        raise ServiceError(_("Cet appareil n'est pas réservé."))
    if not permissions.can_reserve(scope, device):
        raise ServiceError(_("Vous ne pouvez pas annuler cette réservation."))
    _release(
        device,
        acting_user=acting_user,
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
                acting_user=None,
                reason=_("Réservation expirée"),
                summary=_("Réservation de %(kind)s expirée") % {"kind": device.get_kind_display()},
            )
            count += 1
    return count


@transaction.atomic
def record_sale(
    *, acting_user: User, device: Device, price: Decimal | None = None, at: datetime | None = None
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
        from solidarnum.equipment.selectors import price_for

        rule = price_for(device.kind, device.grade, timezone.localdate(at))
        if rule is None:
            raise ServiceError(_("Aucun prix solidaire n'est fixé pour ce type et ce grade."))
        price = rule.amount
    beneficiary = device.reserved_for
    _move(device, Status.SOLD, acting_user=acting_user, reason=_("Vendu"), at=at)
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
        actor=acting_user,
        milestone=Milestone.EQUIPPED,
        obj=device,
        at=at,
    )
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=device,
        changed_fields=[*RESERVATION, "sold_to", "sold_at", "sale_price"],
    )
    return device
