"""The shared pieces: serial normalisation, the locked status move."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils import timezone

from solidarnum.common.errors import ServiceError

from .. import lifecycle
from ..enums import (
    Status,
)
from ..models import (
    Device,
    DeviceEvent,
)

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
