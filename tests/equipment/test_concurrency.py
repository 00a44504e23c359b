"""Two people taking the same device at the same moment: one wins, the other is told.

Real concurrent transactions need PostgreSQL (row locks); SQLite serialises whole writes.
"""

import pytest
from django.db import connection

from solidarnum.accounts.scope import resolve_scope
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.common.errors import ServiceError
from solidarnum.equipment.enums import Status
from solidarnum.equipment.logistics.services import send_transfer
from solidarnum.equipment.models import Device, DeviceEvent, Transfer, TransferItem
from solidarnum.equipment.reservations import services
from tests.beneficiaries import make_beneficiary
from tests.race import race

from .factories import make_device

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL only"
    ),
    # serialized_rollback: the rows created by data migrations survive the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESERVED = "equipment.device_reserved"


def _fresh(pk: int) -> Device:
    return Device.objects.get(pk=pk)


def test_two_staff_reserving_the_last_laptop_for_two_people(world):
    laptop = make_device(world, status=Status.AVAILABLE)
    awa = make_beneficiary(world)
    binta = make_beneficiary(world, first_name="Binta", last_name="Camara", phone="+33611111111")
    staff = resolve_scope(world.users["staff_a"], None)
    manager = resolve_scope(world.users["manager_a"], None)

    outcomes = race(
        lambda: services.reserve(
            acting_user=staff.user, scope=staff, device=_fresh(laptop.pk), beneficiary=awa
        ),
        lambda: services.reserve(
            acting_user=manager.user, scope=manager, device=_fresh(laptop.pk), beneficiary=binta
        ),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ServiceError)
    assert "Cet appareil n'est plus disponible" in str(error)
    winner = next(value for kind, value in outcomes if kind == "ok")
    laptop.refresh_from_db()
    assert laptop.status == Status.RESERVED
    assert laptop.reserved_for == winner.reserved_for
    assert DeviceEvent.objects.filter(device=laptop, to_status=Status.RESERVED).count() == 1
    assert TimelineEntry.objects.filter(kind=RESERVED).count() == 1
    assert TimelineEntry.objects.get(kind=RESERVED).beneficiary == laptop.reserved_for


def test_a_reservation_racing_a_transfer_never_does_both(world):
    laptop = make_device(world, status=Status.AVAILABLE)
    awa = make_beneficiary(world)
    staff = resolve_scope(world.users["staff_a"], None)
    manager = resolve_scope(world.users["manager_a"], None)

    outcomes = race(
        lambda: services.reserve(
            acting_user=staff.user, scope=staff, device=_fresh(laptop.pk), beneficiary=awa
        ),
        lambda: send_transfer(
            acting_user=manager.user,
            scope=manager,
            devices=[_fresh(laptop.pk)],
            from_point=world.site_a,
            to_point=world.site_b,
        ),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ServiceError)
    laptop.refresh_from_db()
    if laptop.status == Status.RESERVED:
        # The reservation won: the device stays on site A's shelves, no transfer left.
        assert laptop.reception_point == world.site_a and laptop.transfer is None
        assert not Transfer.objects.exists() and not TransferItem.objects.exists()
        assert TimelineEntry.objects.filter(kind=RESERVED).count() == 1
    else:
        # The transfer won: the device travels, reserved for nobody.
        assert laptop.status == Status.AVAILABLE
        assert laptop.transfer is not None and laptop.reception_point is None
        assert laptop.reserved_for is None
        assert not TimelineEntry.objects.filter(kind=RESERVED).exists()
