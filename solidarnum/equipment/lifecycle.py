"""The device lifecycle: which status may follow which, and who may move a device by hand.

Some transitions only happen through their own service, never through the generic
"change status" form, because they carry a rule of their own:

- to "disponible": only a passed volunteer check (`services.record_check`), and only with a
  successful data-erasure record;
- "retour atelier" to "à contrôler": only the reception of a transfer at a reception point;
- to and from "réservé": `services.reserve`, `cancel_reservation`, `expire_reservations`;
- to "vendu": `services.record_sale` (called by the till);
- to "donné (pack maraude)": `devices.services.give_for_outreach` (called by connectivity's
  outreach packs); a given device has left the network for good.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.accounts.models import User
from solidarnum.common.errors import ServiceError

from .enums import Status
from .models import Device, DeviceEvent

S = Status

TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.AT_REFURBISHER}),
    S.AT_REFURBISHER: frozenset({S.BACK_FROM_WORKSHOP, S.SPARE_PARTS, S.RECYCLED}),
    S.BACK_FROM_WORKSHOP: frozenset({S.TO_CHECK}),
    S.TO_CHECK: frozenset({S.AVAILABLE, S.TO_REPAIR, S.SPARE_PARTS, S.RECYCLED}),
    S.TO_REPAIR: frozenset({S.TO_CHECK, S.SPARE_PARTS, S.RECYCLED}),
    S.AVAILABLE: frozenset({S.RESERVED, S.TO_CHECK, S.GIVEN}),
    S.RESERVED: frozenset({S.AVAILABLE, S.SOLD}),
    S.SOLD: frozenset({S.AFTER_SALES}),
    S.AFTER_SALES: frozenset({S.TO_CHECK}),
    S.SPARE_PARTS: frozenset({S.RECYCLED}),
    S.RECYCLED: frozenset(),
    S.GIVEN: frozenset(),
}

# Transitions with a service of their own (see the module docstring).
DEDICATED: frozenset[tuple[Status, Status]] = frozenset(
    {
        (S.TO_CHECK, S.AVAILABLE),
        (S.BACK_FROM_WORKSHOP, S.TO_CHECK),
        (S.AVAILABLE, S.RESERVED),
        (S.RESERVED, S.AVAILABLE),
        (S.RESERVED, S.SOLD),
        (S.AVAILABLE, S.GIVEN),
    }
)

# Transitions the refurbishing workshop makes; the others happen at a reception point.
WORKSHOP_MOVES: frozenset[tuple[Status, Status]] = frozenset(
    {
        (S.RECEIVED, S.AT_REFURBISHER),
        (S.AT_REFURBISHER, S.BACK_FROM_WORKSHOP),
        (S.AT_REFURBISHER, S.SPARE_PARTS),
        (S.AT_REFURBISHER, S.RECYCLED),
    }
)

# Why a move needs a reason typed by the person.
REASON_REQUIRED = frozenset({S.TO_REPAIR, S.SPARE_PARTS, S.RECYCLED, S.AFTER_SALES})

FORBIDDEN_MESSAGE = _("Un appareil « %(from)s » ne peut pas passer à « %(to)s ».")


def is_allowed(from_status: str, to_status: str) -> bool:
    return Status(to_status) in TRANSITIONS.get(Status(from_status), frozenset())


def manual_targets(from_status: str) -> list[Status]:
    """Statuses a person may choose by hand from this one (dedicated moves excluded)."""
    current = Status(from_status)
    return [
        target
        for target in Status
        if target in TRANSITIONS.get(current, frozenset()) and (current, target) not in DEDICATED
    ]


# --- The locked status move (used by every service that changes a device) -----------------------


def _locked(device: Device) -> Device:
    """Re-read the device row under a lock (inside the caller's transaction)."""
    return Device.objects.select_for_update().get(pk=device.pk)


def _move(
    device: Device,
    to_status: Status,
    *,
    acting_user: User | None,
    reason: str = "",
    at: datetime | None = None,
) -> DeviceEvent:
    if not is_allowed(device.status, to_status):
        raise ServiceError(
            str(FORBIDDEN_MESSAGE)
            % {"from": Status(device.status).label, "to": Status(to_status).label}
        )
    at = at or timezone.now()
    event = DeviceEvent.objects.create(
        device=device,
        from_status=device.status,
        to_status=to_status,
        at=at,
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        reason=reason[:255],
        reception_point_id=device.reception_point_id,
    )
    device.status = to_status
    device.status_changed_at = at
    return event


def _log_place(
    device: Device, *, acting_user: User | None, reason: str, at: datetime | None = None
) -> None:
    """A move of place without a change of status, kept in the same history."""
    DeviceEvent.objects.create(
        device=device,
        from_status=device.status,
        to_status=device.status,
        at=at or timezone.now(),
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        reason=reason[:255],
        reception_point_id=device.reception_point_id,
    )
