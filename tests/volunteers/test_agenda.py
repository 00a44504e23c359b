"""With the agenda (support): its bookings ask the volunteers' rules, and the sessions a
volunteer ran count in their hours, with the people accompanied."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.common.errors import ServiceError
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import Appointment
from solidarnum.support.permanences import services as agenda
from solidarnum.volunteers import staffing
from solidarnum.volunteers.hours import selectors as hours
from tests.support.factories import (
    at,
    make_appointment,
    make_pattern,
    make_person,
    next_weekday,
    scope_of_user,
)

from .factories import make_absence, make_profile, make_slot


@pytest.fixture(autouse=True)
def _rules():
    staffing.register()


def test_the_agenda_refuses_a_volunteer_outside_their_availability(world):
    make_slot(make_profile(world.users["volunteer_a"]), world.site_a, weekday=3)  # Thursdays
    pattern = make_pattern(world, weekday=1, hour=14)  # Tuesdays 14:00
    with pytest.raises(ServiceError, match="pas disponible à cet horaire"):
        agenda.book_appointment(
            acting_user=world.users["staff_a"],
            scope=scope_of_user(world, "staff_a"),
            beneficiary=make_person(world),
            pattern=pattern,
            starts_at=at(next_weekday(1), 14),
            volunteer=world.users["volunteer_a"],
        )
    assert not Appointment.objects.exists()


def test_the_agenda_refuses_an_absent_volunteer_and_books_an_available_one(world):
    profile = make_profile(world.users["volunteer_a"])
    make_slot(profile, world.site_a, weekday=1, start=time(13), end=time(18))
    pattern = make_pattern(world, weekday=1, hour=14)
    day = next_weekday(1)
    absence = make_absence(profile, day, day)
    kwargs = {
        "acting_user": world.users["staff_a"],
        "scope": scope_of_user(world, "staff_a"),
        "beneficiary": make_person(world),
        "pattern": pattern,
        "starts_at": at(day, 14),
        "volunteer": world.users["volunteer_a"],
    }
    with pytest.raises(ServiceError, match="absente"):
        agenda.book_appointment(**kwargs)
    absence.delete()
    appointment = agenda.book_appointment(**kwargs)
    assert appointment.volunteer == world.users["volunteer_a"]


def test_the_sessions_a_volunteer_ran_count_in_their_hours_and_continuity(world, clients):
    make_profile(world.users["volunteer_a"])
    person = make_person(world)
    started = timezone.now() - timedelta(hours=3)
    make_appointment(
        world, person=person, starts_at=started, minutes=90, status=AppointmentStatus.CAME
    )
    make_appointment(world, person=person, minutes=60)  # to come: not an hour given yet
    today = timezone.localdate()
    (line,) = hours.by_volunteer(world.site_a.pk, today - timedelta(days=1), today)
    assert line.totals.session_minutes == 90 and line.totals.sessions == 1
    assert line.totals.people == 1
    assert staffing.accompanied_by([world.users["volunteer_a"].pk], person.pk) == {
        world.users["volunteer_a"].pk
    }
    page = clients["volunteer_a"].get(reverse("volunteers:my_hours")).content.decode()
    assert "Permanence connectée" in page and "90 min" in page
