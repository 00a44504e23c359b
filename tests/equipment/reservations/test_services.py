"""Reservations for a person, their expiry, and the sale that ends them."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.common.errors import ServiceError
from solidarnum.equipment.enums import (
    Status,
)
from solidarnum.equipment.models import (
    Device,
    Price,
)
from solidarnum.equipment.reservations.services import (
    cancel_reservation,
    expire_reservations,
    record_sale,
    reserve,
)
from tests.beneficiaries import make_beneficiary, make_beneficiary_b
from tests.equipment.factories import make_device, make_prices
from tests.referrals.factories import scope_for


def fresh(device: Device) -> Device:
    return Device.objects.get(pk=device.pk)


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


# --- Reservation ---------------------------------------------------------------------------------


def test_reserve_holds_the_device_and_writes_the_timeline(world, settings):
    settings.EQUIPMENT_RESERVATION_DAYS = 7
    person = make_beneficiary(world)
    device = make_device(world)
    reserve(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=device,
        beneficiary=person,
    )
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
        reserve(
            acting_user=staff.user,
            scope=staff,
            device=make_device(world, status=Status.TO_CHECK),
            beneficiary=person,
        )
    with pytest.raises(ServiceError, match="Vous ne pouvez pas réserver"):
        reserve(
            acting_user=world.users["volunteer_a"],
            scope=scope_for(world, "volunteer_a"),
            device=make_device(world),
            beneficiary=person,
        )
    with pytest.raises(ServiceError, match="pas au même point d'accueil"):
        reserve(
            acting_user=staff.user,
            scope=staff,
            device=make_device(world),
            beneficiary=make_beneficiary_b(world),
        )
    assert not Device.objects.filter(status=Status.RESERVED).exists()


def test_cancel_reservation_puts_the_device_back(world):
    person = make_beneficiary(world)
    device = make_device(world)
    staff = scope_for(world, "staff_a")
    reserve(acting_user=staff.user, scope=staff, device=device, beneficiary=person)
    cancel_reservation(
        acting_user=staff.user, scope=staff, device=device, reason="La personne a renoncé"
    )
    device = fresh(device)
    assert device.status == Status.AVAILABLE
    assert device.reserved_for is None and device.reserved_until is None
    assert device.events.order_by("-id").first().reason == "La personne a renoncé"  # type: ignore[union-attr]
    entry = TimelineEntry.objects.get(beneficiary=person, kind="equipment.reservation_ended")
    assert entry.summary == "Réservation de Ordinateur portable annulée"
    with pytest.raises(ServiceError, match="n'est pas réservé"):
        cancel_reservation(acting_user=staff.user, scope=staff, device=device)


def test_expired_reservations_go_back_on_sale(world, settings):
    settings.EQUIPMENT_RESERVATION_DAYS = 7
    old = make_device(world)
    recent = make_device(world)
    staff = scope_for(world, "staff_a")
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        person = make_beneficiary(world)
        reserve(acting_user=staff.user, scope=staff, device=old, beneficiary=person)
    reserve(acting_user=staff.user, scope=staff, device=recent, beneficiary=person)

    assert expire_reservations() == 1
    assert fresh(old).status == Status.AVAILABLE and fresh(old).reserved_for is None
    assert fresh(recent).status == Status.RESERVED
    event = old.events.order_by("-id").first()
    assert event is not None and event.actor is None and event.reason == "Réservation expirée"
    assert TimelineEntry.objects.filter(
        beneficiary=person, summary="Réservation de Ordinateur portable expirée"
    ).exists()
    assert expire_reservations() == 0


def test_what_touches_a_person_is_in_the_audit_trail(world, settings):
    """Reservation, cancellation, expiry and sale link a device to a person: audited."""
    from solidarnum.privacy.models import AuditEvent

    settings.EQUIPMENT_RESERVATION_DAYS = 7
    make_prices()
    staff = scope_for(world, "staff_a")
    user = world.users["staff_a"]
    device, expired = make_device(world), make_device(world)
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        person = make_beneficiary(world)
        reserve(acting_user=user, scope=staff, device=expired, beneficiary=person)
    reserve(acting_user=user, scope=staff, device=device, beneficiary=person)
    cancel_reservation(acting_user=user, scope=staff, device=device)
    reserve(acting_user=user, scope=staff, device=device, beneficiary=person)
    record_sale(acting_user=user, device=device)
    assert expire_reservations() == 1
    rows = AuditEvent.objects.filter(object_type="equipment.device").order_by("id")
    assert [(r.object_id, r.actor_id) for r in rows] == [
        (str(expired.pk), user.pk),
        (str(device.pk), user.pk),
        (str(device.pk), user.pk),
        (str(device.pk), user.pk),
        (str(device.pk), user.pk),
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
    reserve(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=second,
        beneficiary=person,
    )
    record_sale(acting_user=world.users["staff_a"], device=second)
    entries = TimelineEntry.objects.filter(beneficiary=person, kind="equipment.device_obtained")
    assert entries.count() == 2
    assert entries.filter(milestone=Milestone.EQUIPPED).count() == 1


def test_record_sale_needs_a_reservation_and_a_price(world):
    with pytest.raises(ServiceError, match="Seul un appareil réservé"):
        record_sale(acting_user=world.users["staff_a"], device=make_device(world))
    person = make_beneficiary(world)
    device = make_device(world)
    reserve(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=device,
        beneficiary=person,
    )
    with pytest.raises(ServiceError, match="Aucun prix solidaire"):
        record_sale(acting_user=world.users["staff_a"], device=device)
    assert fresh(device).status == Status.RESERVED
