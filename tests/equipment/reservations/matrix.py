"""Access-matrix rows for reservations for a person.

Collected by tests/equipment/matrix.py. Objects are of site A: staff_b passes the role rule but
gets 404, like a missing object. Volunteers may check devices, never reserve them.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from solidarnum.equipment.enums import Status
from tests.beneficiaries import make_beneficiary
from tests.equipment.factories import make_device
from tests.matrix import SITE_A_STAFF, expect


def available_device_a(world: Any) -> dict[str, Any]:
    return {"pk": make_device(world, status=Status.AVAILABLE).pk}


def reserved_device_a(world: Any) -> dict[str, Any]:
    device = make_device(
        world,
        status=Status.RESERVED,
        reserved_for=make_beneficiary(world),
        reserved_until=timezone.now() + timedelta(days=7),
    )
    return {"pk": device.pk}


def file_of_site_a(world: Any) -> dict[str, Any]:
    return {"public_id": make_beneficiary(world).public_id}


ROWS = [
    ("equipment:device_reserve", file_of_site_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    (
        "equipment:device_reserve_for_person",
        available_device_a,
        "get",
        expect(SITE_A_STAFF, staff_b=404),
    ),
    (
        "equipment:device_reservation_cancel",
        reserved_device_a,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
]
