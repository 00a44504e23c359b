"""The volunteer check: the erasure gate, the battery threshold, the refurbishing skill."""

from datetime import date

import pytest

from solidarnum.common.errors import ServiceError
from solidarnum.equipment.checks.services import record_check
from solidarnum.equipment.enums import (
    CheckAnswer,
    CheckPoint,
    ErasureMethod,
    ErasureResult,
    Status,
)
from solidarnum.equipment.models import (
    Device,
    DeviceCheck,
    ErasureRecord,
)
from tests.equipment.factories import make_device
from tests.referrals.factories import scope_for

ALL_OK = {point.value: CheckAnswer.OK for point in CheckPoint}


def fresh(device: Device) -> Device:
    return Device.objects.get(pk=device.pk)


# --- Erasure gate and volunteer check ------------------------------------------------------------


def test_a_device_without_successful_erasure_never_becomes_available(world):
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    ErasureRecord.objects.create(
        device=device,
        method=ErasureMethod.OVERWRITE,
        tool="Blancco",
        performed_on=date(2026, 1, 1),
        operator="Atelier",
        result=ErasureResult.FAILURE,
    )
    with pytest.raises(ServiceError, match="aucun effacement des données réussi"):
        record_check(
            acting_user=world.users["volunteer_a"],
            scope=scope_for(world, "volunteer_a"),
            device=device,
            answers=ALL_OK,
            battery_health=90,
        )
    assert fresh(device).status == Status.TO_CHECK
    assert not DeviceCheck.objects.filter(device=device).exists()


def test_a_passed_check_with_erasure_makes_the_device_available(world):
    device = make_device(world, status=Status.TO_CHECK)
    check = record_check(
        acting_user=world.users["volunteer_a"],
        scope=scope_for(world, "volunteer_a"),
        device=device,
        answers=ALL_OK,
        battery_health=90,
        grade="A",
    )
    assert check.passed
    device = fresh(device)
    assert (device.status, device.grade, device.battery_health) == (Status.AVAILABLE, "A", 90)


def test_a_battery_below_the_threshold_fails_the_check(world, settings):
    settings.EQUIPMENT_BATTERY_MIN_PERCENT = 70
    device = make_device(world, status=Status.TO_CHECK)
    check = record_check(
        acting_user=world.users["volunteer_a"],
        scope=scope_for(world, "volunteer_a"),
        device=device,
        answers=ALL_OK,
        battery_health=50,
    )
    assert not check.passed and check.failed_points == ["Batterie au-dessus du seuil"]
    assert fresh(device).status == Status.TO_REPAIR


def test_the_check_needs_the_refurbishing_skill(world):
    device = make_device(world, status=Status.TO_CHECK)
    with pytest.raises(ServiceError, match="compétence reconditionnement"):
        record_check(
            acting_user=world.users["staff_a"],
            scope=scope_for(world, "staff_a"),
            device=device,
            answers=ALL_OK,
            battery_health=90,
        )
