"""Staff booking at the same moment (PostgreSQL row locks, threads): one slot, one booking; one
volunteer, one person at a time; the last place of a workshop, once."""

import pytest
from django.db import connection

from solidarnum.common.errors import ServiceError
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import Appointment
from solidarnum.support.permanences import services
from tests.race import race
from tests.support.factories import at, make_pattern, make_person, next_weekday, scope_of_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _booking(world, pattern, person, day, volunteer):
    scope = scope_of_user(world, "staff_a")

    def run():
        try:
            return services.book_appointment(
                acting_user=scope.user,
                scope=scope,
                beneficiary=person,
                pattern=pattern,
                starts_at=at(day, pattern.start_time.hour),
                volunteer=world.users[volunteer],
            )
        except ServiceError as error:
            return str(error)

    return run


def test_ten_staff_booking_the_same_slot_make_one_booking(world):
    pattern = make_pattern(world)
    day = next_weekday(1)
    people = [make_person(world) for _ in range(10)]
    volunteers = ["volunteer_a", "staff_a", "manager_a"] * 4
    outcomes = race(
        *[_booking(world, pattern, p, day, v) for p, v in zip(people, volunteers, strict=False)]
    )
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    booked = [value for _, value in outcomes if isinstance(value, Appointment)]
    refused = [value for _, value in outcomes if isinstance(value, str)]
    assert len(booked) == 1 and len(refused) == 9
    assert set(refused) == {"Ce créneau vient d'être réservé : choisissez-en un autre."}
    assert Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).count() == 1


def test_one_volunteer_in_ten_rooms_at_once_is_booked_once(world):
    day = next_weekday(1)
    patterns = [make_pattern(world, room=f"Salle {n}") for n in range(10)]
    outcomes = race(*[_booking(world, p, make_person(world), day, "volunteer_a") for p in patterns])
    booked = [value for _, value in outcomes if isinstance(value, Appointment)]
    refused = [value for _, value in outcomes if isinstance(value, str)]
    assert len(booked) == 1 and len(refused) == 9, outcomes
    assert all("accompagne déjà" in text for text in refused)
    assert Appointment.objects.filter(volunteer=world.users["volunteer_a"]).count() == 1


def test_ten_staff_taking_the_last_place_of_a_workshop_register_one(world):
    from solidarnum.support.enums import RegistrationStatus
    from solidarnum.support.models import WorkshopRegistration
    from solidarnum.support.workshops import services as workshops
    from tests.support.factories import make_workshop

    workshop = make_workshop(world, capacity=3)
    scope = scope_of_user(world, "staff_a")
    for _ in range(2):
        workshops.register_person(
            acting_user=scope.user, scope=scope, workshop=workshop, beneficiary=make_person(world)
        )
    people = [make_person(world) for _ in range(10)]

    def register(person):
        return lambda: (
            workshops.register_person(
                acting_user=scope.user, scope=scope, workshop=workshop, beneficiary=person
            ).status
        )

    outcomes = race(*[register(p) for p in people])
    statuses = [value for _, value in outcomes]
    assert statuses.count(RegistrationStatus.REGISTERED) == 1, outcomes
    assert statuses.count(RegistrationStatus.WAITING) == 9
    assert (
        WorkshopRegistration.objects.filter(
            workshop=workshop, status=RegistrationStatus.REGISTERED
        ).count()
        == 3
    )
