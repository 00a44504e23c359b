"""Writing the planned devices in bulk: devices, history, erasures, checks, transfer items, the
timeline of the people equipped and the closed stock count of Paris 19e.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, OuterRef, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.equipment.checks.services import applicable_points
from solidarnum.equipment.enums import (
    CheckAnswer,
    CheckPoint,
    ErasureMethod,
    ErasureResult,
    Status,
    StockCountStatus,
    TransferStatus,
)
from solidarnum.equipment.logistics.services import COUNTED_STATUSES
from solidarnum.equipment.models import (
    Device,
    DeviceCheck,
    DeviceEvent,
    ErasureRecord,
    ImportBatch,
    StockCount,
    StockCountScan,
    Transfer,
    TransferItem,
)

from .catalogue import (
    DISCREPANCY_NOTE,
    LOST,
    P19,
    UNEXPECTED_SERIAL,
    WORKSHOP,
    K,
    S,
    price_on,
)
from .plan import Context, DevicePlan, at_hour


def write_rows(context: Context, plans: list[DevicePlan]) -> None:
    _create_transfers(context)
    checks = [check for plan in plans for check in _checks(plan)]
    devices = [_finish(plan) for plan in plans]
    Device.objects.bulk_create(devices, batch_size=500)
    # bulk_create stamps the creation with the current time: back to the day of the import.
    Device.objects.filter(pk__in=[device.pk for device in devices]).update(
        created_at=Subquery(
            ImportBatch.objects.filter(pk=OuterRef("batch_id")).values("imported_at")[:1]
        ),
        updated_at=F("status_changed_at"),
    )
    DeviceEvent.objects.bulk_create(
        [event for plan in plans for event in _events(plan)], batch_size=1000
    )
    ErasureRecord.objects.bulk_create(
        [record for plan in plans for record in _erasures(context, plan)], batch_size=500
    )
    DeviceCheck.objects.bulk_create(checks, batch_size=500)
    TransferItem.objects.bulk_create(
        [
            TransferItem(
                transfer=wave.transfer,
                device=plan.device,
                received=None
                if wave.status == TransferStatus.IN_TRANSIT
                else plan.group.place != LOST,
            )
            for wave in context.waves.values()
            for plan in wave.plans
        ],
        batch_size=500,
    )
    _timeline(plans)
    _stock_count(context, plans)


def _create_transfers(context: Context) -> None:
    for wave in sorted(context.waves.values(), key=lambda wave: wave.sent_at):
        first = wave.plans[0]
        batch = first.device.batch
        assert batch is not None
        wave.transfer = Transfer.objects.create(
            from_refurbisher_id=first.device.refurbisher_id,
            to_point=context.sites[wave.site_key],
            status=wave.status,
            sent_by=first.workshop_actor,
            sent_at=wave.sent_at,
            received_by=wave.receiver,
            received_at=wave.received_at,
            note=_("Lot %(ref)s") % {"ref": batch.reference},
            discrepancy_note=DISCREPANCY_NOTE if wave.status == TransferStatus.DISCREPANCY else "",
        )


def _finish(plan: DevicePlan) -> Device:
    """The device's final status, place and sale fields, from its plan."""
    device, last = plan.device, plan.steps[-1]
    device.status = last.to
    device.status_changed_at = last.at
    device.reception_point = plan.site
    if plan.site is None and plan.wave is not None:
        device.transfer = plan.wave.transfer
    if last.to == S.RESERVED:
        device.reserved_for = plan.buyer
        device.reserved_until = last.at + timedelta(days=settings.EQUIPMENT_RESERVATION_DAYS)
    elif last.to in (S.SOLD, S.AFTER_SALES):
        sold = next(step for step in plan.steps if step.to == S.SOLD)
        device.sold_to = plan.buyer
        device.sold_at = sold.at
        device.sale_price = price_on(device.kind, device.grade, timezone.localdate(sold.at))
    return device


def _events(plan: DevicePlan) -> list[DeviceEvent]:
    """The history, as the services write it (a transfer adds a line "Envoyé vers")."""
    events: list[DeviceEvent] = []
    previous = ""
    transfer = plan.wave.transfer if plan.wave is not None else None
    for step in plan.steps:
        reason = step.reason
        if step.to == S.TO_CHECK and previous == S.BACK_FROM_WORKSHOP and transfer is not None:
            reason = _("Reçu à %(to)s (%(ref)s)") % {
                "to": transfer.to_point.name,
                "ref": transfer.reference,
            }
        elif previous == S.TO_CHECK and step.to in (S.AVAILABLE, S.TO_REPAIR):
            reason = _check_reason(plan, passed=step.to == S.AVAILABLE)
        elif step.to == S.RESERVED:
            until = step.at + timedelta(days=settings.EQUIPMENT_RESERVATION_DAYS)
            reason = _("Réservé jusqu'au %(date)s") % {"date": _short_date(until)}
        events.append(
            DeviceEvent(
                device=plan.device,
                from_status=previous,
                to_status=step.to,
                at=step.at,
                actor=step.actor,
                reason=reason[:255],
                reception_point=plan.site if step.on_site else None,
            )
        )
        previous = step.to
        if step.to == S.BACK_FROM_WORKSHOP and transfer is not None:
            sent = _("Envoyé vers %(to)s (%(ref)s)") % {
                "to": transfer.to_point.name,
                "ref": transfer.reference,
            }
            events.append(
                DeviceEvent(
                    device=plan.device,
                    from_status=previous,
                    to_status=previous,
                    at=transfer.sent_at,
                    actor=transfer.sent_by,
                    reason=sent[:255],
                )
            )
    return events


def _short_date(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _check_reason(plan: DevicePlan, *, passed: bool) -> str:
    """The reason `services.record_check` writes."""
    if passed:
        return _("Contrôle réussi")
    assert plan.failure is not None
    point, comment, measured = plan.failure
    labels = str(point.label)
    if point == CheckPoint.BATTERY:
        labels += " " + _("(batterie à %(value)s %%, seuil %(min)s %%)") % {
            "value": measured,
            "min": settings.EQUIPMENT_BATTERY_MIN_PERCENT,
        }
    reason = _("Contrôle : %(points)s") % {"points": labels}
    return f"{reason} · {comment}" if comment else reason


def _checks(plan: DevicePlan) -> list[DeviceCheck]:
    """One check per "à contrôler" → "disponible" or "à réparer" step."""
    checks = []
    device = plan.device
    points = applicable_points(device.kind)
    for before, step in itertools.pairwise(plan.steps):
        if before.to != S.TO_CHECK or step.to not in (S.AVAILABLE, S.TO_REPAIR):
            continue
        passed = step.to == S.AVAILABLE
        answers = {point.value: CheckAnswer.OK.value for point in points}
        comment = ""
        battery = device.battery_health
        if not passed:
            assert plan.failure is not None
            point, comment, battery = plan.failure
            answers[point.value] = CheckAnswer.FAIL.value
        checks.append(
            DeviceCheck(
                device=device,
                reception_point=plan.site,
                performed_by=step.actor,
                performed_at=step.at,
                answers=answers,
                battery_health=battery if CheckPoint.BATTERY in points else None,
                passed=passed,
                comment=comment,
            )
        )
    return checks


def _erasures(context: Context, plan: DevicePlan) -> list[ErasureRecord]:
    """A successful erasure before the device leaves the workshop (destruction if discarded)."""
    rng, device, group = context.rng, plan.device, plan.group
    if not group.erased:
        return []
    back = next((step for step in plan.steps if step.to == S.BACK_FROM_WORKSHOP), None)
    is_discarded = group.place == WORKSHOP and group.status in (S.SPARE_PARTS, S.RECYCLED)
    if back is not None:
        moment = back.at - timedelta(days=rng.uniform(0.2, 2))
    elif is_discarded:
        moment = plan.steps[-1].at - timedelta(hours=rng.uniform(1, 20))
    elif group.status == S.AT_REFURBISHER and rng.random() < 0.3:
        moment = context.clock.after(plan.steps[-1].at, 1, 4)
    else:
        return []
    if is_discarded:
        method, tool = ErasureMethod.DESTRUCTION, "Broyeur de supports HDD/SSD"
    elif device.kind in (K.LAPTOP, K.DESKTOP):
        method = ErasureMethod.OVERWRITE
        tool = rng.choice(["Blancco Drive Eraser 7", "ShredOS (nwipe)"])
    else:
        method, tool = ErasureMethod.FACTORY_RESET, "Blancco Mobile Diagnostics & Erasure"
    attempts = [ErasureResult.SUCCESS]
    if not is_discarded and rng.random() < 0.04:
        attempts.insert(0, ErasureResult.FAILURE)  # redone the day after, both are kept
    return [
        ErasureRecord(
            device=device,
            method=method,
            tool=tool,
            performed_on=timezone.localdate(moment - timedelta(days=len(attempts) - 1 - n)),
            operator=plan.operator,
            result=result,
            recorded_by=plan.workshop_actor,
            recorded_at=moment - timedelta(days=len(attempts) - 1 - n),
        )
        for n, result in enumerate(attempts)
    ]


def _timeline(plans: list[DevicePlan]) -> None:
    """The person's file shows the reservation and the device obtained (a milestone)."""
    for plan in plans:
        if plan.buyer is None:
            continue
        device = plan.device
        kind = device.get_kind_display()
        for step in plan.steps:
            if step.to == S.RESERVED:
                until = step.at + timedelta(days=settings.EQUIPMENT_RESERVATION_DAYS)
                add_entry(
                    beneficiary=plan.buyer,
                    kind="equipment.device_reserved",
                    summary=_("%(kind)s réservé jusqu'au %(date)s")
                    % {"kind": kind, "date": _short_date(until)},
                    actor=step.actor,
                    obj=device,
                    at=step.at,
                )
            elif step.to == S.SOLD:
                add_entry(
                    beneficiary=plan.buyer,
                    kind="equipment.device_obtained",
                    summary=_("%(kind)s obtenu") % {"kind": kind},
                    actor=step.actor,
                    milestone=Milestone.EQUIPPED,
                    obj=device,
                    at=step.at,
                )


def _stock_count(context: Context, plans: list[DevicePlan]) -> None:
    """A count at Paris 19e twelve days ago: one device not found, one serial not expected."""
    site = context.sites[P19]
    started_at = at_hour(timezone.localdate(context.now) - timedelta(days=12), 14)
    expected = [
        plan
        for plan in plans
        if plan.site == site and _statusat_hour(plan, started_at) in COUNTED_STATUSES
    ]
    if not expected:
        return
    # Not found that day: a device since seen again (still on the shelves today).
    missing = next(
        (plan for plan in expected if plan.device.status == S.AVAILABLE), expected[0]
    ).device
    counter = context.user("conseiller.paris19")
    count = StockCount.objects.create(
        reception_point=site,
        status=StockCountStatus.CLOSED,
        started_by=context.user("responsable.paris19"),
        started_at=started_at,
        closed_at=started_at + timedelta(hours=2),
        missing=[
            {
                "id": missing.pk,
                "serial": missing.serial_number,
                "label": f"{missing.get_kind_display()} {missing.brand} {missing.model_name}",
                "status": str(Status(_statusat_hour(_plan_of(plans, missing), started_at)).label),
            }
        ],
        unexpected=[{"serial": UNEXPECTED_SERIAL, "id": None}],
    )
    scanned = [plan.device for plan in expected if plan.device != missing]
    StockCountScan.objects.bulk_create(
        [
            StockCountScan(
                stock_count=count,
                serial=device.serial_number,
                device=device,
                scanned_by=counter,
                scanned_at=started_at + timedelta(seconds=20 * n),
            )
            for n, device in enumerate(scanned)
        ]
        + [
            StockCountScan(
                stock_count=count,
                serial=UNEXPECTED_SERIAL,
                scanned_by=counter,
                scanned_at=started_at + timedelta(seconds=20 * len(scanned) + 40),
            )
        ]
    )


def _statusat_hour(plan: DevicePlan, moment: datetime) -> str:
    """The device's status at `moment` ("" before it was received)."""
    status = ""
    for step in plan.steps:
        if step.at > moment:
            break
        status = step.to
    return status


def _plan_of(plans: list[DevicePlan], device: Device) -> DevicePlan:
    return next(plan for plan in plans if plan.device is device)
