"""Access-matrix rows for the volunteer check.

Collected by tests/equipment/matrix.py. Objects are of site A: staff_b passes the role rule but
gets 404, like a missing object. Volunteers may check devices, never reserve them.
"""

from typing import Any

from solidarnum.equipment.enums import Status
from tests.equipment.factories import make_device
from tests.matrix import SITE_A_TEAM, SITE_B_STAFF, expect


def device_to_check_a(world: Any) -> dict[str, Any]:
    return {"pk": make_device(world, status=Status.TO_CHECK).pk}


ROWS = [
    # staff_b has a site of their own: the lookup page answers, scoped to site B.
    ("equipment:device_check_lookup", None, "get", expect(SITE_A_TEAM | SITE_B_STAFF)),
    # staff_a lacks the refurbishing skill: the page says why (200), without the form.
    ("equipment:device_check", device_to_check_a, "get", expect(SITE_A_TEAM, staff_b=404)),
    # An empty POST by volunteer_a (who has the skill): the form answers 400, nothing saved.
    (
        "equipment:device_check",
        device_to_check_a,
        "post",
        expect({"volunteer_a"}, ok_code=400, manager_a=403, staff_a=403, staff_b=404),
    ),
]
