"""Access-matrix rows for the stock and device pages (collected by tests/equipment/matrix.py)."""

from datetime import date
from typing import Any

from django.core.files.base import ContentFile

from solidarnum.equipment.enums import ErasureMethod, ErasureResult, Status
from solidarnum.equipment.models import ErasureRecord
from tests.equipment.factories import PDF_BYTES, make_device
from tests.matrix import ADMIN, SITE_A_STAFF, SITE_A_TEAM, SITE_TEAMS, WORKSHOP, expect

# The devices of the matrix all come from a donation routed to world.refurbisher.


def device_of_site_a(world: Any) -> dict[str, Any]:
    return {"pk": make_device(world, status=Status.AVAILABLE).pk}


def device_to_check_at_site_a(world: Any) -> dict[str, Any]:
    return {"pk": make_device(world, status=Status.TO_CHECK).pk}


def certificate_of_site_a(world: Any) -> dict[str, Any]:
    device = make_device(world, status=Status.AVAILABLE, erased=False)
    erasure = ErasureRecord.objects.create(
        device=device,
        method=ErasureMethod.OVERWRITE,
        tool="Blancco Drive Eraser",
        performed_on=date(2026, 9, 15),
        operator="Atelier Exemple",
        result=ErasureResult.SUCCESS,
        certificate=ContentFile(PDF_BYTES, name="certificat.pdf"),
    )
    return {"pk": erasure.pk}


ROWS = [
    ("equipment:stock_overview", None, "get", expect(ADMIN | SITE_TEAMS)),
    ("equipment:device_list", None, "get", expect(ADMIN | SITE_TEAMS | WORKSHOP)),
    (
        "equipment:device_detail",
        device_of_site_a,
        "get",
        expect(ADMIN | SITE_A_TEAM | WORKSHOP, staff_b=404),
    ),
    # An empty form: 400 for whoever may move this device; the workshop has no move on a
    # device at a reception point; volunteers never change a status by hand.
    (
        "equipment:device_status",
        device_to_check_at_site_a,
        "post",
        expect(ADMIN | SITE_A_STAFF, ok_code=400, staff_b=404),
    ),
    (
        "equipment:device_erasure_add",
        device_of_site_a,
        "get",
        expect(ADMIN | SITE_A_STAFF | WORKSHOP, staff_b=404),
    ),
    (
        "equipment:erasure_certificate",
        certificate_of_site_a,
        "get",
        expect(ADMIN | SITE_A_TEAM | WORKSHOP, staff_b=404),
    ),
]
