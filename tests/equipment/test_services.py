"""The equipment services: lifecycle, permissions, erasure gate, reservations, sale, transfers,
stock counts, prices and tax receipts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.equipment import lifecycle, services
from solidarnum.equipment.enums import (
    CheckAnswer,
    CheckPoint,
    ErasureMethod,
    ErasureResult,
    Status,
    StockCountStatus,
    TransferStatus,
)
from solidarnum.equipment.models import (
    Device,
    DeviceCheck,
    DeviceEvent,
    ErasureRecord,
    Price,
    StockCount,
    Transfer,
)
from solidarnum.equipment.services import ServiceError
from solidarnum.network.models import RefurbishingPartner
from tests.beneficiaries import make_beneficiary, make_beneficiary_b
from tests.conftest import make_company
from tests.referrals.factories import scope_for

from .factories import VALID_IMEIS, make_device, make_donation, make_prices

ALL_OK = {point.value: CheckAnswer.OK for point in CheckPoint}


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
        services.change_status(
            scope=scope_for(world, "admin"), device=device, to_status=Status.AVAILABLE
        )
    assert str(error.value) == "Un appareil « Reçu » ne peut pas passer à « Disponible »."
    assert fresh(device).status == Status.RECEIVED
    assert device.events.count() == 1


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (Status.TO_CHECK, Status.AVAILABLE),  # only a passed check
        (Status.AVAILABLE, Status.RESERVED),  # only services.reserve
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
        services.change_status(scope=scope_for(world, "admin"), device=device, to_status=to_status)
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
        "scope": scope_for(world, role),
        "device": device,
        "to_status": target,
        "reason": "Motif",
    }
    if allowed:
        services.change_status(**call)
        assert fresh(device).status == target
        event = device.events.order_by("-id").first()
        assert event is not None and event.actor == world.users[role]
        assert (event.from_status, event.to_status) == (status, target)
    else:
        with pytest.raises(ServiceError) as error:
            services.change_status(**call)
        assert str(error.value) == "Vous ne pouvez pas changer le statut de cet appareil."
        assert fresh(device).status == status


def test_the_workshop_cannot_move_another_workshops_device(world):
    other = make_company(RefurbishingPartner, "Atelier Ailleurs", 13)
    device = make_device(
        world, status=Status.RECEIVED, site=None, donation=make_donation(world, refurbisher=other)
    )
    with pytest.raises(ServiceError, match="Vous ne pouvez pas changer le statut"):
        services.change_status(
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
        services.change_status(
            scope=scope_for(world, "staff_a"), device=device, to_status=target, reason="   "
        )
    assert str(error.value) == "Indiquez le motif de ce changement."
    assert fresh(device).status == Status.TO_CHECK
    assert device.events.count() == 1


def test_no_reason_needed_to_send_an_available_device_back_to_check(world):
    device = make_device(world, status=Status.AVAILABLE)
    services.change_status(scope=scope_for(world, "staff_a"), device=device, to_status="to_check")
    assert fresh(device).status == Status.TO_CHECK


def test_bulk_change_is_all_or_nothing(world):
    good = make_device(world, status=Status.TO_CHECK)
    bad = make_device(world, status=Status.AVAILABLE)
    with pytest.raises(ServiceError, match=bad.serial_number):
        services.bulk_change_status(
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
    services.reserve(scope=scope_for(world, "staff_a"), device=device, beneficiary=person)
    return services.record_sale(actor=world.users["staff_a"], device=device)


def test_after_sales_return_within_the_warranty(world):
    with time_machine.travel(timezone.now() - timedelta(days=150)):
        device = _sold(world)
    services.change_status(
        scope=scope_for(world, "staff_a"),
        device=device,
        to_status=Status.AFTER_SALES,
        reason="L'écran ne s'allume plus",
    )
    assert fresh(device).status == Status.AFTER_SALES
    services.change_status(
        scope=scope_for(world, "staff_a"), device=device, to_status=Status.TO_CHECK
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
        services.change_status(
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
        services.change_status(
            scope=scope_for(world, "staff_a"),
            device=device,
            to_status=Status.AFTER_SALES,
            reason="Panne",
        )


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
        services.record_check(
            scope=scope_for(world, "volunteer_a"), device=device, answers=ALL_OK, battery_health=90
        )
    assert fresh(device).status == Status.TO_CHECK
    assert not DeviceCheck.objects.filter(device=device).exists()


def test_a_passed_check_with_erasure_makes_the_device_available(world):
    device = make_device(world, status=Status.TO_CHECK)
    check = services.record_check(
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
    check = services.record_check(
        scope=scope_for(world, "volunteer_a"), device=device, answers=ALL_OK, battery_health=50
    )
    assert not check.passed and check.failed_points == ["Batterie au-dessus du seuil"]
    assert fresh(device).status == Status.TO_REPAIR


def test_the_check_needs_the_refurbishing_skill(world):
    device = make_device(world, status=Status.TO_CHECK)
    with pytest.raises(ServiceError, match="compétence reconditionnement"):
        services.record_check(
            scope=scope_for(world, "staff_a"), device=device, answers=ALL_OK, battery_health=90
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
        services.record_erasure(scope=scope_for(world, "staff_a"), device=device, **fields)
    with pytest.raises(ServiceError):
        services.record_erasure(scope=scope_for(world, "volunteer_a"), device=device, **fields)
    services.record_erasure(scope=scope_for(world, "refurbisher_contact"), device=device, **fields)
    assert device.erasures.count() == 1


# --- Reservation ---------------------------------------------------------------------------------


def test_reserve_holds_the_device_and_writes_the_timeline(world, settings):
    settings.EQUIPMENT_RESERVATION_DAYS = 7
    person = make_beneficiary(world)
    device = make_device(world)
    services.reserve(scope=scope_for(world, "staff_a"), device=device, beneficiary=person)
    device = fresh(device)
    assert device.status == Status.RESERVED and device.reserved_for == person
    assert device.reserved_until is not None
    assert abs(device.reserved_until - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    entry = TimelineEntry.objects.get(beneficiary=person, kind="equipment.device_reserved")
    assert entry.summary.startswith("Ordinateur portable réservé jusqu'au ")
    assert entry.actor == world.users["staff_a"]


def test_reserve_refusals(world):
    person = make_beneficiary(world)
    staff = scope_for(world, "staff_a")
    with pytest.raises(ServiceError, match="n'est plus disponible"):
        services.reserve(
            scope=staff, device=make_device(world, status=Status.TO_CHECK), beneficiary=person
        )
    with pytest.raises(ServiceError, match="Vous ne pouvez pas réserver"):
        services.reserve(
            scope=scope_for(world, "volunteer_a"), device=make_device(world), beneficiary=person
        )
    with pytest.raises(ServiceError, match="pas au même point d'accueil"):
        services.reserve(
            scope=staff, device=make_device(world), beneficiary=make_beneficiary_b(world)
        )
    assert not Device.objects.filter(status=Status.RESERVED).exists()


def test_cancel_reservation_puts_the_device_back(world):
    person = make_beneficiary(world)
    device = make_device(world)
    staff = scope_for(world, "staff_a")
    services.reserve(scope=staff, device=device, beneficiary=person)
    services.cancel_reservation(scope=staff, device=device, reason="La personne a renoncé")
    device = fresh(device)
    assert device.status == Status.AVAILABLE
    assert device.reserved_for is None and device.reserved_until is None
    assert device.events.order_by("-id").first().reason == "La personne a renoncé"  # type: ignore[union-attr]
    entry = TimelineEntry.objects.get(beneficiary=person, kind="equipment.reservation_ended")
    assert entry.summary == "Réservation de Ordinateur portable annulée"
    with pytest.raises(ServiceError, match="n'est pas réservé"):
        services.cancel_reservation(scope=staff, device=device)


def test_expired_reservations_go_back_on_sale(world, settings):
    settings.EQUIPMENT_RESERVATION_DAYS = 7
    old = make_device(world)
    recent = make_device(world)
    staff = scope_for(world, "staff_a")
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        person = make_beneficiary(world)
        services.reserve(scope=staff, device=old, beneficiary=person)
    services.reserve(scope=staff, device=recent, beneficiary=person)

    assert services.expire_reservations() == 1
    assert fresh(old).status == Status.AVAILABLE and fresh(old).reserved_for is None
    assert fresh(recent).status == Status.RESERVED
    event = old.events.order_by("-id").first()
    assert event is not None and event.actor is None and event.reason == "Réservation expirée"
    assert TimelineEntry.objects.filter(
        beneficiary=person, summary="Réservation de Ordinateur portable expirée"
    ).exists()
    assert services.expire_reservations() == 0


def test_what_touches_a_person_is_in_the_audit_trail(world, settings):
    """Reservation, cancellation, expiry and sale link a device to a person: audited."""
    from solidarnum.privacy.models import AuditEvent

    settings.EQUIPMENT_RESERVATION_DAYS = 7
    make_prices()
    staff = scope_for(world, "staff_a")
    device, expired = make_device(world), make_device(world)
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        person = make_beneficiary(world)
        services.reserve(scope=staff, device=expired, beneficiary=person)
    services.reserve(scope=staff, device=device, beneficiary=person)
    services.cancel_reservation(scope=staff, device=device)
    services.reserve(scope=staff, device=device, beneficiary=person)
    services.record_sale(actor=world.users["staff_a"], device=device)
    assert services.expire_reservations() == 1
    rows = AuditEvent.objects.filter(object_type="equipment.device").order_by("id")
    assert [(r.object_id, r.actor_id) for r in rows] == [
        (str(expired.pk), staff.user.pk),
        (str(device.pk), staff.user.pk),
        (str(device.pk), staff.user.pk),
        (str(device.pk), staff.user.pk),
        (str(device.pk), staff.user.pk),
        (str(expired.pk), None),  # the expiry task
    ]
    assert "sold_to" in rows[4].changed_fields


# --- Sale ----------------------------------------------------------------------------------------


def test_record_sale_sets_the_equipped_milestone_once(world):
    person = make_beneficiary(world)
    first = _sold(world, person)
    assert first.status == Status.SOLD and first.sold_to == person
    assert first.sale_price == Decimal("90")
    Price.objects.all().delete()
    second = make_device(world, kind="tablet", grade="A")
    make_prices()
    services.reserve(scope=scope_for(world, "staff_a"), device=second, beneficiary=person)
    services.record_sale(actor=world.users["staff_a"], device=second)
    entries = TimelineEntry.objects.filter(beneficiary=person, kind="equipment.device_obtained")
    assert entries.count() == 2
    assert entries.filter(milestone=Milestone.EQUIPPED).count() == 1


def test_record_sale_needs_a_reservation_and_a_price(world):
    with pytest.raises(ServiceError, match="Seul un appareil réservé"):
        services.record_sale(actor=world.users["staff_a"], device=make_device(world))
    person = make_beneficiary(world)
    device = make_device(world)
    services.reserve(scope=scope_for(world, "staff_a"), device=device, beneficiary=person)
    with pytest.raises(ServiceError, match="Aucun prix solidaire"):
        services.record_sale(actor=world.users["staff_a"], device=device)
    assert fresh(device).status == Status.RESERVED


# --- Transfers -----------------------------------------------------------------------------------


def _from_workshop(world, n: int = 3) -> tuple[Transfer, list[Device]]:
    devices = [make_device(world, status=Status.BACK_FROM_WORKSHOP, site=None) for _ in range(n)]
    transfer = services.send_transfer(
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
        services.receive_transfer(scope=staff, transfer=transfer, received_ids=[one.pk, two.pk])
    assert fresh(one).transfer_id == transfer.pk  # nothing saved

    services.receive_transfer(
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
        services.receive_transfer(scope=staff, transfer=transfer, received_ids=[lost.pk])

    services.receive_late(scope=staff, transfer=transfer, device=lost)
    lost = fresh(lost)
    assert (lost.status, lost.reception_point, lost.transfer) == (
        Status.TO_CHECK,
        world.site_a,
        None,
    )
    with pytest.raises(ServiceError, match="n'est pas en écart"):
        services.receive_late(scope=staff, transfer=transfer, device=lost)


def test_only_the_destination_receives(world):
    transfer, devices = _from_workshop(world, 1)
    with pytest.raises(ServiceError, match="Seul le point d'accueil de destination"):
        services.receive_transfer(
            scope=scope_for(world, "staff_b"), transfer=transfer, received_ids=[devices[0].pk]
        )
    with pytest.raises(ServiceError, match="ne fait pas partie"):
        services.receive_transfer(
            scope=scope_for(world, "staff_a"),
            transfer=transfer,
            received_ids=[make_device(world).pk],
        )


def test_site_to_site_transfer_keeps_the_status(world):
    device = make_device(world, status=Status.AVAILABLE)
    transfer = services.send_transfer(
        scope=scope_for(world, "staff_a"),
        devices=[device],
        to_point=world.site_b,
        from_point=world.site_a,
    )
    services.receive_transfer(
        scope=scope_for(world, "staff_b"), transfer=transfer, received_ids=[device.pk]
    )
    device = fresh(device)
    assert (device.status, device.reception_point) == (Status.AVAILABLE, world.site_b)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.RECEIVED


def test_send_transfer_refuses_a_device_already_in_transit(world):
    transfer, (device, *_) = _from_workshop(world, 1)
    with pytest.raises(ServiceError) as error:
        services.send_transfer(
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
            scope=staff_a,
            devices=[make_device(world)],
            to_point=world.site_a,
            from_point=world.site_a,
        )
    with pytest.raises(ServiceError, match="votre point d'accueil"):
        services.send_transfer(
            scope=scope_for(world, "staff_b"),
            devices=[make_device(world)],
            to_point=world.site_b,
            from_point=world.site_a,
        )
    reserved_elsewhere = make_device(world, status=Status.SOLD)
    with pytest.raises(ServiceError, match="ne peut pas être transféré"):
        services.send_transfer(
            scope=staff_a,
            devices=[reserved_elsewhere],
            to_point=world.site_b,
            from_point=world.site_a,
        )
    with pytest.raises(ServiceError, match="n'est pas prêt à partir"):
        services.send_transfer(
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
    count = services.start_stock_count(scope=staff, reception_point=world.site_a)
    with pytest.raises(ServiceError, match="déjà en cours"):
        services.start_stock_count(
            scope=scope_for(world, "manager_a"), reception_point=world.site_a
        )

    assert services.scan(scope=staff, stock_count=count, code=found.serial_number.lower())[1]
    scan, expected = services.scan(scope=staff, stock_count=count, code="35 2099 0017 61481")
    assert expected and scan.serial == phone.serial_number
    assert not services.scan(scope=staff, stock_count=count, code=stray.serial_number)[1]
    assert not services.scan(scope=staff, stock_count=count, code="INCONNU-42")[1]
    with pytest.raises(ServiceError, match="déjà compté"):
        services.scan(scope=staff, stock_count=count, code=found.serial_number)
    with pytest.raises(ServiceError, match="Scannez ou tapez"):
        services.scan(scope=staff, stock_count=count, code="  ")

    closed = services.close_stock_count(scope=staff, stock_count=count)
    assert closed.status == StockCountStatus.CLOSED and closed.closed_at is not None
    assert [row["id"] for row in closed.missing] == [missing.pk]
    assert closed.missing[0]["status"] == "À contrôler"
    assert {row["serial"] for row in closed.unexpected} == {stray.serial_number, "INCONNU42"}
    with pytest.raises(ServiceError, match="terminé"):
        services.scan(scope=staff, stock_count=closed, code=missing.serial_number)
    with pytest.raises(ServiceError, match="déjà terminé"):
        services.close_stock_count(scope=staff, stock_count=closed)
    # A new count may start once the previous one is closed.
    assert services.start_stock_count(scope=staff, reception_point=world.site_a).pk != count.pk


def test_stock_count_is_for_the_sites_staff(world):
    for role in ("volunteer_a", "staff_b", "refurbisher_contact"):
        with pytest.raises(ServiceError, match="inventaire de ce point"):
            services.start_stock_count(scope=scope_for(world, role), reception_point=world.site_a)
    assert not StockCount.objects.exists()


# --- Prices --------------------------------------------------------------------------------------


def test_set_price_refuses_past_dates(world):
    admin = scope_for(world, "admin")
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ServiceError, match="jamais dans le passé"):
        services.set_price(
            scope=admin, kind="laptop", grade="A", amount=Decimal("100"), valid_from=yesterday
        )
    assert not Price.objects.exists()
    today = timezone.localdate()
    services.set_price(
        scope=admin, kind="laptop", grade="A", amount=Decimal("100"), valid_from=today
    )
    services.set_price(
        scope=admin, kind="laptop", grade="A", amount=Decimal("95"), valid_from=today
    )
    assert list(Price.objects.values_list("amount", flat=True)) == [Decimal("95")]


def test_only_the_national_team_sets_prices(world):
    with pytest.raises(ServiceError, match="Seule l'équipe nationale"):
        services.set_price(
            scope=scope_for(world, "manager_a"),
            kind="laptop",
            grade="A",
            amount=Decimal("100"),
            valid_from=timezone.localdate(),
        )


# --- Tax receipts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("refurbisher_contact", True),
        ("donor_contact", False),
        ("staff_a", False),
    ],
)
def test_record_tax_receipt_permission(world, role, allowed):
    donation = make_donation(world)
    call = {
        "scope": scope_for(world, role),
        "donation": donation,
        "number": " RF-2026-0012 ",
        "issued_on": date(2026, 10, 1),
        "valued_amount": Decimal("1200.00"),
    }
    if allowed:
        services.record_tax_receipt(**call)
        donation.refresh_from_db()
        assert donation.tax_receipt_number == "RF-2026-0012"
        assert donation.valued_amount == Decimal("1200.00")
    else:
        with pytest.raises(ServiceError, match="Seul l'atelier"):
            services.record_tax_receipt(**call)
        donation.refresh_from_db()
        assert donation.tax_receipt_number == ""


def test_tax_receipt_refusals(world):
    donation = make_donation(world)
    scope = scope_for(world, "refurbisher_contact")
    with pytest.raises(ServiceError, match="antérieur au don"):
        services.record_tax_receipt(
            scope=scope, donation=donation, number="RF-1", issued_on=date(2026, 8, 1)
        )
    with pytest.raises(ServiceError, match="numéro du reçu"):
        services.record_tax_receipt(
            scope=scope, donation=donation, number="  ", issued_on=date(2026, 10, 1)
        )


def test_device_events_are_append_only(world):
    event = make_device(world).events.get()
    with pytest.raises(ValueError):
        event.save()
    assert DeviceEvent.objects.filter(pk=event.pk).exists()
