"""Transfers between places and stock counts."""

import pytest
from django.db import IntegrityError, transaction

from solidarnum.common.errors import ServiceError
from solidarnum.equipment.enums import (
    Status,
    StockCountStatus,
    TransferStatus,
)
from solidarnum.equipment.logistics import services
from solidarnum.equipment.models import (
    Device,
    StockCount,
    Transfer,
)
from tests.equipment.factories import VALID_IMEIS, make_device
from tests.referrals.factories import scope_for


def fresh(device: Device) -> Device:
    return Device.objects.get(pk=device.pk)


# --- Transfers -----------------------------------------------------------------------------------


def _from_workshop(world, n: int = 3) -> tuple[Transfer, list[Device]]:
    devices = [make_device(world, status=Status.BACK_FROM_WORKSHOP, site=None) for _ in range(n)]
    transfer = services.send_transfer(
        acting_user=world.users["refurbisher_contact"],
        scope=scope_for(world, "refurbisher_contact"),
        devices=devices,
        to_point=world.site_a,
        from_refurbisher=world.refurbisher,
        note="Palette 1",
    )
    return transfer, devices


def test_send_from_the_workshop_puts_devices_in_transit(world):
    transfer, devices = _from_workshop(world)
    assert transfer.status == TransferStatus.IN_TRANSIT
    for device in devices:
        device = fresh(device)
        assert device.transfer == transfer and device.reception_point is None
        assert device.status == Status.BACK_FROM_WORKSHOP
        assert device.events.order_by("-id").first().reason.startswith("Envoyé vers Paris 19e")  # type: ignore[union-attr]


def test_receive_with_a_discrepancy_then_late(world):
    transfer, (one, two, lost) = _from_workshop(world)
    staff = scope_for(world, "staff_a")
    with pytest.raises(ServiceError, match="décrivez l'écart"):
        services.receive_transfer(
            acting_user=staff.user, scope=staff, transfer=transfer, received_ids=[one.pk, two.pk]
        )
    assert fresh(one).transfer_id == transfer.pk  # nothing saved

    services.receive_transfer(
        acting_user=staff.user,
        scope=staff,
        transfer=transfer,
        received_ids=[one.pk, two.pk],
        discrepancy_note="Un portable manque dans le carton",
    )
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DISCREPANCY
    assert transfer.received_by == world.users["staff_a"]
    for device in (one, two):
        device = fresh(device)
        assert (device.status, device.reception_point, device.transfer) == (
            Status.TO_CHECK,
            world.site_a,
            None,
        )
    assert fresh(lost).transfer == transfer and fresh(lost).reception_point is None
    assert set(transfer.items.values_list("device_id", "received")) == {
        (one.pk, True),
        (two.pk, True),
        (lost.pk, False),
    }
    with pytest.raises(ServiceError, match="déjà été réceptionné"):
        services.receive_transfer(
            acting_user=staff.user, scope=staff, transfer=transfer, received_ids=[lost.pk]
        )

    services.receive_late(acting_user=staff.user, scope=staff, transfer=transfer, device=lost)
    lost = fresh(lost)
    assert (lost.status, lost.reception_point, lost.transfer) == (
        Status.TO_CHECK,
        world.site_a,
        None,
    )
    with pytest.raises(ServiceError, match="n'est pas en écart"):
        services.receive_late(acting_user=staff.user, scope=staff, transfer=transfer, device=lost)


def test_only_the_destination_receives(world):
    transfer, devices = _from_workshop(world, 1)
    with pytest.raises(ServiceError, match="Seul le point d'accueil de destination"):
        services.receive_transfer(
            acting_user=world.users["staff_b"],
            scope=scope_for(world, "staff_b"),
            transfer=transfer,
            received_ids=[devices[0].pk],
        )
    with pytest.raises(ServiceError, match="ne fait pas partie"):
        services.receive_transfer(
            acting_user=world.users["staff_a"],
            scope=scope_for(world, "staff_a"),
            transfer=transfer,
            received_ids=[make_device(world).pk],
        )


def test_site_to_site_transfer_keeps_the_status(world):
    device = make_device(world, status=Status.AVAILABLE)
    transfer = services.send_transfer(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        devices=[device],
        to_point=world.site_b,
        from_point=world.site_a,
    )
    services.receive_transfer(
        acting_user=world.users["staff_b"],
        scope=scope_for(world, "staff_b"),
        transfer=transfer,
        received_ids=[device.pk],
    )
    device = fresh(device)
    assert (device.status, device.reception_point) == (Status.AVAILABLE, world.site_b)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.RECEIVED


def test_send_transfer_refuses_a_device_already_in_transit(world):
    transfer, (device, *_) = _from_workshop(world, 1)
    with pytest.raises(ServiceError) as error:
        services.send_transfer(
            acting_user=world.users["admin"],
            scope=scope_for(world, "admin"),
            devices=[fresh(device)],
            to_point=world.site_b,
            from_refurbisher=world.refurbisher,
        )
    assert str(error.value) == f"{device.serial_number} est déjà en cours de transfert."
    assert fresh(device).transfer == transfer
    assert Transfer.objects.count() == 1


def test_send_transfer_refusals(world):
    staff_a = scope_for(world, "staff_a")
    with pytest.raises(ServiceError, match="doit être différent"):
        services.send_transfer(
            acting_user=staff_a.user,
            scope=staff_a,
            devices=[make_device(world)],
            to_point=world.site_a,
            from_point=world.site_a,
        )
    with pytest.raises(ServiceError, match="votre point d'accueil"):
        services.send_transfer(
            acting_user=world.users["staff_b"],
            scope=scope_for(world, "staff_b"),
            devices=[make_device(world)],
            to_point=world.site_b,
            from_point=world.site_a,
        )
    reserved_elsewhere = make_device(world, status=Status.SOLD)
    with pytest.raises(ServiceError, match="ne peut pas être transféré"):
        services.send_transfer(
            acting_user=staff_a.user,
            scope=staff_a,
            devices=[reserved_elsewhere],
            to_point=world.site_b,
            from_point=world.site_a,
        )
    with pytest.raises(ServiceError, match="n'est pas prêt à partir"):
        services.send_transfer(
            acting_user=world.users["refurbisher_contact"],
            scope=scope_for(world, "refurbisher_contact"),
            devices=[make_device(world, status=Status.AT_REFURBISHER, site=None)],
            to_point=world.site_a,
            from_refurbisher=world.refurbisher,
        )
    assert not Transfer.objects.exists()


def test_a_device_is_never_in_two_places(world):
    transfer, _ = _from_workshop(world, 1)
    device = make_device(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.filter(pk=device.pk).update(transfer=transfer)


# --- Stock counts --------------------------------------------------------------------------------


def test_stock_count_scan_and_close_give_missing_and_unexpected(world):
    staff = scope_for(world, "staff_a")
    found = make_device(world, status=Status.AVAILABLE)
    phone = make_device(world, status=Status.TO_REPAIR, kind="smartphone", imei=VALID_IMEIS[2])
    missing = make_device(world, status=Status.TO_CHECK)
    make_device(world, status=Status.SOLD)  # gone: not expected
    stray = make_device(world, site="b")
    count = services.start_stock_count(
        acting_user=staff.user, scope=staff, reception_point=world.site_a
    )
    with pytest.raises(ServiceError, match="déjà en cours"):
        services.start_stock_count(
            acting_user=world.users["manager_a"],
            scope=scope_for(world, "manager_a"),
            reception_point=world.site_a,
        )

    assert services.scan(
        acting_user=staff.user, scope=staff, stock_count=count, code=found.serial_number.lower()
    )[1]
    scan, expected = services.scan(
        acting_user=staff.user, scope=staff, stock_count=count, code="35 2099 0017 61481"
    )
    assert expected and scan.serial == phone.serial_number
    assert not services.scan(
        acting_user=staff.user, scope=staff, stock_count=count, code=stray.serial_number
    )[1]
    assert not services.scan(
        acting_user=staff.user, scope=staff, stock_count=count, code="INCONNU-42"
    )[1]
    with pytest.raises(ServiceError, match="déjà compté"):
        services.scan(
            acting_user=staff.user, scope=staff, stock_count=count, code=found.serial_number
        )
    with pytest.raises(ServiceError, match="Scannez ou tapez"):
        services.scan(acting_user=staff.user, scope=staff, stock_count=count, code="  ")

    closed = services.close_stock_count(acting_user=staff.user, scope=staff, stock_count=count)
    assert closed.status == StockCountStatus.CLOSED and closed.closed_at is not None
    assert [row["id"] for row in closed.missing] == [missing.pk]
    assert closed.missing[0]["status"] == "À contrôler"
    assert {row["serial"] for row in closed.unexpected} == {stray.serial_number, "INCONNU42"}
    with pytest.raises(ServiceError, match="terminé"):
        services.scan(
            acting_user=staff.user, scope=staff, stock_count=closed, code=missing.serial_number
        )
    with pytest.raises(ServiceError, match="déjà terminé"):
        services.close_stock_count(acting_user=staff.user, scope=staff, stock_count=closed)
    # A new count may start once the previous one is closed.
    assert (
        services.start_stock_count(
            acting_user=staff.user, scope=staff, reception_point=world.site_a
        ).pk
        != count.pk
    )


def test_stock_count_is_for_the_sites_staff(world):
    for role in ("volunteer_a", "staff_b", "refurbisher_contact"):
        with pytest.raises(ServiceError, match="inventaire de ce point"):
            services.start_stock_count(
                acting_user=world.users[role],
                scope=scope_for(world, role),
                reception_point=world.site_a,
            )
    assert not StockCount.objects.exists()
