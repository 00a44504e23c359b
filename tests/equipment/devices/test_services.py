"""The device services: lifecycle, permissions, after-sales warranty, erasure records."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from solidarnum.common.errors import ServiceError
from solidarnum.equipment import lifecycle
from solidarnum.equipment.devices.services import (
    bulk_change_status,
    change_status,
    record_erasure,
)
from solidarnum.equipment.enums import (
    ErasureMethod,
    ErasureResult,
    Status,
)
from solidarnum.equipment.models import (
    Device,
)
from solidarnum.equipment.reservations.services import (
    record_sale,
    reserve,
)
from solidarnum.network.models import RefurbishingPartner
from tests.beneficiaries import make_beneficiary
from tests.conftest import make_company
from tests.equipment.factories import make_device, make_donation, make_prices
from tests.referrals.factories import scope_for


def fresh(device: Device) -> Device:
    return Device.objects.get(pk=device.pk)


# --- Lifecycle -----------------------------------------------------------------------------------


def test_lifecycle_table():
    assert lifecycle.is_allowed(Status.TO_CHECK, Status.AVAILABLE)
    assert not lifecycle.is_allowed(Status.RECEIVED, Status.AVAILABLE)
    assert not lifecycle.is_allowed(Status.RECYCLED, Status.TO_CHECK)
    # Moves with a service of their own are never offered by hand.
    assert lifecycle.manual_targets(Status.TO_CHECK) == [
        Status.TO_REPAIR,
        Status.SPARE_PARTS,
        Status.RECYCLED,
    ]
    assert lifecycle.manual_targets(Status.AVAILABLE) == [Status.TO_CHECK]
    assert lifecycle.manual_targets(Status.RESERVED) == []
    assert lifecycle.manual_targets(Status.RECYCLED) == []


def test_a_forbidden_transition_is_refused_with_a_clear_message(world):
    device = make_device(world, status=Status.RECEIVED, site=None)
    with pytest.raises(ServiceError) as error:
        change_status(
            acting_user=world.users["admin"],
            scope=scope_for(world, "admin"),
            device=device,
            to_status=Status.AVAILABLE,
        )
    assert str(error.value) == "Un appareil « Reçu » ne peut pas passer à « Disponible »."
    assert fresh(device).status == Status.RECEIVED
    assert device.events.count() == 1


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (Status.TO_CHECK, Status.AVAILABLE),  # only a passed check
        (Status.AVAILABLE, Status.RESERVED),  # only reserve
        (Status.RESERVED, Status.SOLD),  # only the till
        (Status.BACK_FROM_WORKSHOP, Status.TO_CHECK),  # only the reception of a transfer
    ],
)
def test_dedicated_moves_are_refused_by_hand_even_to_the_national_team(
    world, from_status, to_status
):
    extra = {}
    if from_status == Status.RESERVED:
        extra = {"reserved_for": make_beneficiary(world), "reserved_until": timezone.now()}
    device = make_device(world, status=from_status, site=None, **extra)
    with pytest.raises(ServiceError, match="ne peut pas passer à"):
        change_status(
            acting_user=world.users["admin"],
            scope=scope_for(world, "admin"),
            device=device,
            to_status=to_status,
        )
    assert fresh(device).status == from_status


@pytest.mark.parametrize(
    ("role", "status", "site", "target", "allowed"),
    [
        ("admin", Status.TO_CHECK, "a", Status.TO_REPAIR, True),
        ("admin", Status.RECEIVED, None, Status.AT_REFURBISHER, True),
        ("manager_a", Status.TO_CHECK, "a", Status.TO_REPAIR, True),
        ("staff_a", Status.AVAILABLE, "a", Status.TO_CHECK, True),
        ("staff_a", Status.SOLD, "a", Status.AFTER_SALES, True),
        ("volunteer_a", Status.TO_CHECK, "a", Status.TO_REPAIR, False),
        ("staff_b", Status.TO_CHECK, "a", Status.TO_REPAIR, False),
        ("staff_a", Status.RECEIVED, None, Status.AT_REFURBISHER, False),
        ("refurbisher_contact", Status.RECEIVED, None, Status.AT_REFURBISHER, True),
        ("refurbisher_contact", Status.AT_REFURBISHER, None, Status.RECYCLED, True),
        ("refurbisher_contact", Status.TO_CHECK, "a", Status.TO_REPAIR, False),
        ("donor_contact", Status.TO_CHECK, "a", Status.TO_REPAIR, False),
        ("referent", Status.TO_CHECK, "a", Status.TO_REPAIR, False),
    ],
)
def test_change_status_permission_per_role(world, role, status, site, target, allowed):
    device = make_device(world, status=status, site=site)
    call = {
        "acting_user": world.users[role],
        "scope": scope_for(world, role),
        "device": device,
        "to_status": target,
        "reason": "Motif",
    }
    if allowed:
        change_status(**call)
        assert fresh(device).status == target
        event = device.events.order_by("-id").first()
        assert event is not None and event.actor == world.users[role]
        assert (event.from_status, event.to_status) == (status, target)
    else:
        with pytest.raises(ServiceError) as error:
            change_status(**call)
        assert str(error.value) == "Vous ne pouvez pas changer le statut de cet appareil."
        assert fresh(device).status == status


def test_the_workshop_cannot_move_another_workshops_device(world):
    other = make_company(RefurbishingPartner, "Atelier Ailleurs", 13)
    device = make_device(
        world, status=Status.RECEIVED, site=None, donation=make_donation(world, refurbisher=other)
    )
    with pytest.raises(ServiceError, match="Vous ne pouvez pas changer le statut"):
        change_status(
            acting_user=world.users["refurbisher_contact"],
            scope=scope_for(world, "refurbisher_contact"),
            device=device,
            to_status=Status.AT_REFURBISHER,
        )


@pytest.mark.parametrize(
    "target",
    sorted(lifecycle.REASON_REQUIRED & {Status.TO_REPAIR, Status.RECYCLED, Status.SPARE_PARTS}),
)
def test_a_reason_is_required_for_some_moves(world, target):
    device = make_device(world, status=Status.TO_CHECK)
    with pytest.raises(ServiceError) as error:
        change_status(
            acting_user=world.users["staff_a"],
            scope=scope_for(world, "staff_a"),
            device=device,
            to_status=target,
            reason="   ",
        )
    assert str(error.value) == "Indiquez le motif de ce changement."
    assert fresh(device).status == Status.TO_CHECK
    assert device.events.count() == 1


def test_no_reason_needed_to_send_an_available_device_back_to_check(world):
    device = make_device(world, status=Status.AVAILABLE)
    change_status(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=device,
        to_status="to_check",
    )
    assert fresh(device).status == Status.TO_CHECK


def test_bulk_change_is_all_or_nothing(world):
    good = make_device(world, status=Status.TO_CHECK)
    bad = make_device(world, status=Status.AVAILABLE)
    with pytest.raises(ServiceError, match=bad.serial_number):
        bulk_change_status(
            acting_user=world.users["staff_a"],
            scope=scope_for(world, "staff_a"),
            devices=[good, bad],
            to_status=Status.RECYCLED,
            reason="Trop ancien",
        )
    assert fresh(good).status == Status.TO_CHECK
    assert fresh(bad).status == Status.AVAILABLE


# --- After-sales warranty ------------------------------------------------------------------------


def _sold(world, person=None) -> Device:
    make_prices()
    person = person or make_beneficiary(world)
    device = make_device(world)
    reserve(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=device,
        beneficiary=person,
    )
    return record_sale(acting_user=world.users["staff_a"], device=device)


def test_after_sales_return_within_the_warranty(world):
    with time_machine.travel(timezone.now() - timedelta(days=150)):
        device = _sold(world)
    change_status(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=device,
        to_status=Status.AFTER_SALES,
        reason="L'écran ne s'allume plus",
    )
    assert fresh(device).status == Status.AFTER_SALES
    change_status(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=device,
        to_status=Status.TO_CHECK,
    )
    assert fresh(device).status == Status.TO_CHECK


def test_after_sales_return_past_the_warranty_is_refused(world, settings):
    settings.EQUIPMENT_WARRANTY_MONTHS = 6
    sold_at = timezone.make_aware(timezone.datetime(2026, 1, 10, 10, 0))
    with time_machine.travel(sold_at):
        device = _sold(world)
    with (
        time_machine.travel(sold_at + timedelta(days=200)),
        pytest.raises(ServiceError) as error,
    ):
        change_status(
            acting_user=world.users["staff_a"],
            scope=scope_for(world, "staff_a"),
            device=device,
            to_status=Status.AFTER_SALES,
            reason="Batterie morte",
        )
    assert str(error.value) == "La garantie de 6 mois est dépassée : vendu le 10/01/2026."
    assert fresh(device).status == Status.SOLD


def test_the_warranty_message_gives_the_local_sale_date(world):
    # Sold at 00:30 in Paris on 2 January: still 1 January in UTC.
    sold_at = timezone.make_aware(timezone.datetime(2026, 1, 2, 0, 30))
    with time_machine.travel(sold_at):
        device = _sold(world)
    with (
        time_machine.travel(sold_at + timedelta(days=365)),
        pytest.raises(ServiceError, match="vendu le 02/01/2026"),
    ):
        change_status(
            acting_user=world.users["staff_a"],
            scope=scope_for(world, "staff_a"),
            device=device,
            to_status=Status.AFTER_SALES,
            reason="Panne",
        )


# --- Erasure records -----------------------------------------------------------------------------


def test_record_erasure_permission(world):
    fields = {
        "method": ErasureMethod.FACTORY_RESET,
        "tool": "Android",
        "performed_on": date(2026, 2, 1),
        "operator": "Atelier",
        "result": ErasureResult.SUCCESS,
    }
    device = make_device(world, status=Status.SOLD, erased=False)
    with pytest.raises(ServiceError, match="Vous ne pouvez pas enregistrer"):
        record_erasure(
            acting_user=world.users["staff_a"],
            scope=scope_for(world, "staff_a"),
            device=device,
            **fields,
        )
    with pytest.raises(ServiceError):
        record_erasure(
            acting_user=world.users["volunteer_a"],
            scope=scope_for(world, "volunteer_a"),
            device=device,
            **fields,
        )
    record_erasure(
        acting_user=world.users["refurbisher_contact"],
        scope=scope_for(world, "refurbisher_contact"),
        device=device,
        **fields,
    )
    assert device.erasures.count() == 1
