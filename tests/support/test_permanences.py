"""Slots, bookings, statuses, waiting list: the rules of the permanence services."""

from datetime import time, timedelta

import pytest
import time_machine
from django.utils import timezone

from solidarnum.common.errors import ServiceError
from solidarnum.notifications.models import Message
from solidarnum.support import reminders, staffing
from solidarnum.support.models import Appointment, SlotPattern, WaitingEntry
from solidarnum.support.permanences import selectors, services
from tests.support.factories import (
    at,
    make_appointment,
    make_pattern,
    make_person,
    next_weekday,
    scope_of_user,
)


def _book(world, pattern, day, *, who="staff_a", person=None, volunteer="volunteer_a", **extra):
    person = person or make_person(world)
    return services.book_appointment(
        acting_user=world.users[who],
        scope=scope_of_user(world, who),
        beneficiary=person,
        pattern=pattern,
        starts_at=at(day, pattern.start_time.hour),
        volunteer=world.users[volunteer] if volunteer else None,
        **extra,
    )


def test_an_overlapping_slot_in_the_same_room_is_refused(world):
    make_pattern(world, weekday=1, hour=14)  # 14:00-15:30
    scope = scope_of_user(world, "staff_a")
    common = {
        "acting_user": world.users["staff_a"],
        "scope": scope,
        "reception_point": world.site_a,
        "weekday": 1,
        "duration_minutes": 90,
        "valid_from": timezone.localdate(),
    }
    with pytest.raises(ServiceError, match="chevauche"):
        services.create_slot_pattern(start_time=time(15, 0), room="salle 1", **common)
    assert SlotPattern.objects.count() == 1
    services.create_slot_pattern(start_time=time(15, 30), room="Salle 1", **common)
    services.create_slot_pattern(start_time=time(14, 0), room="Salle 2", **common)
    assert SlotPattern.objects.count() == 3


def test_another_sites_staff_cannot_publish_slots(world):
    with pytest.raises(ServiceError):
        services.create_slot_pattern(
            acting_user=world.users["staff_b"],
            scope=scope_of_user(world, "staff_b"),
            reception_point=world.site_a,
            weekday=1,
            start_time=time(9),
            duration_minutes=90,
            room="Salle 1",
            valid_from=timezone.localdate(),
        )


def test_slots_follow_the_pattern_and_its_exceptions(world, django_assert_max_num_queries):
    pattern = make_pattern(world, weekday=1, hour=14)
    day = next_weekday(1)
    services.add_slot_exception(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        pattern=pattern,
        on=day,
    )
    booked = _book(world, pattern, day + timedelta(days=7))
    with django_assert_max_num_queries(3):
        slots = selectors.slots_between(
            world.site_a.pk, day - timedelta(days=1), day + timedelta(days=14)
        )
    assert [s.starts_at for s in slots] == [
        at(day, 14) + timedelta(days=7),
        at(day, 14) + timedelta(days=14),
    ]
    assert slots[0].appointment == booked and slots[1].is_free


def test_an_exception_is_refused_while_someone_is_booked(world):
    pattern = make_pattern(world)
    day = next_weekday(1)
    _book(world, pattern, day)
    with pytest.raises(ServiceError, match="inscrite"):
        services.add_slot_exception(
            acting_user=world.users["staff_a"],
            scope=scope_of_user(world, "staff_a"),
            pattern=pattern,
            on=day,
        )


def test_booking_tells_the_person_and_takes_them_off_the_waiting_list(world):
    pattern = make_pattern(world)
    person = make_person(world)
    services.add_to_waiting_list(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        beneficiary=person,
    )
    appointment = _book(
        world, pattern, next_weekday(1), person=person, what_to_bring="votre téléphone"
    )
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=90)
    message = Message.objects.get(template="support.appointment_booked")
    assert "Paris 19e" in message.body and "14:00" in message.body
    # What to bring is on the person's page, which the SMS links to (ADR 0044).
    assert reminders.page_url(appointment) in message.body
    assert not WaitingEntry.objects.filter(served_at__isnull=True).exists()


def test_a_slot_is_booked_once_and_a_volunteer_once_at_a_time(world):
    pattern = make_pattern(world, room="Salle 1")
    other_room = make_pattern(world, room="Salle 2")
    day = next_weekday(1)
    _book(world, pattern, day)
    with pytest.raises(ServiceError, match="vient d'être réservé"):
        _book(world, pattern, day, volunteer="staff_a")
    with pytest.raises(ServiceError, match="accompagne déjà"):
        _book(world, other_room, day)
    assert Appointment.objects.count() == 1


def test_a_past_or_made_up_slot_is_refused(world):
    pattern = make_pattern(world, weekday=1)
    with pytest.raises(ServiceError, match="n'existe pas"):
        _book(world, pattern, next_weekday(2))
    with pytest.raises(ServiceError, match="passé"):
        _book(world, pattern, next_weekday(1, weeks=-1))


def test_a_booking_outside_access_is_refused(world):
    pattern = make_pattern(world)
    other_site_person = make_person(world, site=world.site_b)
    with pytest.raises(ServiceError, match="Vous ne pouvez pas"):
        _book(world, pattern, next_weekday(1), person=other_site_person)
    with pytest.raises(ServiceError, match="Vous ne pouvez pas"):
        _book(world, pattern, next_weekday(1), who="volunteer_a")
    assert Appointment.objects.count() == 0


def test_a_referent_books_for_their_person_only_where_the_site_allows(world):
    pattern = make_pattern(world)
    person = make_person(world, referent=world.users["referent"])
    with pytest.raises(ServiceError):
        _book(world, pattern, next_weekday(1), who="referent", person=person, volunteer=None)
    services.set_referent_booking(
        acting_user=world.users["manager_a"],
        scope=scope_of_user(world, "manager_a"),
        reception_point=world.site_a,
        allowed=True,
    )
    appointment = _book(
        world, pattern, next_weekday(1), who="referent", person=person, volunteer=None
    )
    assert appointment.booked_by_referent and appointment.volunteer == world.users["volunteer_a"]
    someone_else = make_person(world, referent=world.users["lead_referent"])
    with pytest.raises(ServiceError):
        _book(
            world,
            pattern,
            next_weekday(1, weeks=2),
            who="referent",
            person=someone_else,
            volunteer=None,
        )


def test_a_registered_checker_refuses_the_volunteer(world):
    pattern = make_pattern(world)
    refuse = lambda need, pk: "Ce bénévole n'est pas disponible le mardi."  # noqa: E731
    with (
        staffing.only(checkers=[refuse]),
        pytest.raises(ServiceError, match="pas disponible le mardi"),
    ):
        _book(world, pattern, next_weekday(1))
    assert Appointment.objects.count() == 0


def test_statuses_after_the_session_and_the_no_show_flag(world):
    person = make_person(world)
    past = timezone.localdate() - timedelta(days=7)
    scope = scope_of_user(world, "volunteer_a")
    first = make_appointment(world, person=person, starts_at=at(past, 10))
    second = make_appointment(world, person=person, starts_at=at(past, 14))
    for appointment in (first, second):
        services.set_appointment_status(
            acting_user=world.users["volunteer_a"],
            scope=scope,
            appointment=appointment,
            status="absent",
        )
    assert selectors.flagged_ids([person.pk]) == {person.pk}
    # Flagged, never blocked: they can still be booked.
    _book(world, make_pattern(world), next_weekday(1), person=person)
    future = make_appointment(world, starts_at=at(next_weekday(4), 10))
    with pytest.raises(ServiceError, match="pas encore commencé"):
        services.set_appointment_status(
            acting_user=world.users["volunteer_a"], scope=scope, appointment=future, status="came"
        )
    services.set_appointment_status(
        acting_user=world.users["volunteer_a"], scope=scope, appointment=future, status="excused"
    )
    with pytest.raises(ServiceError):
        services.set_appointment_status(
            acting_user=world.users["staff_b"],
            scope=scope_of_user(world, "staff_b"),
            appointment=first,
            status="came",
        )


def test_a_cancellation_frees_the_slot_and_never_sends_a_stale_reminder(world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    pattern = make_pattern(world)
    day = next_weekday(1)
    appointment = _book(world, pattern, day)
    services.cancel_appointment(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        appointment=appointment,
    )
    assert Message.objects.filter(template="support.appointment_cancelled").count() == 1
    _book(world, pattern, day, volunteer="staff_a")  # free again
    # The reminder run two days before skips the cancelled one.
    from solidarnum.support import reminders

    with time_machine.travel(at(day - timedelta(days=2), 9), tick=False):
        assert reminders.remind_two_days_before() == 1
        assert reminders.remind_two_days_before() == 0  # once


def test_a_reminder_queued_before_a_move_is_not_sent(world):
    from solidarnum.notifications.delivery import deliver_step
    from solidarnum.notifications.enums import MessageStatus
    from solidarnum.support import reminders

    pattern = make_pattern(world)
    other = make_pattern(world, room="Salle 2", hour=16)
    day = next_weekday(1)
    appointment = _book(world, pattern, day)
    with time_machine.travel(at(day, 7), tick=False):
        reminders.remind_same_day()
    reminder = Message.objects.get(template="support.appointment_reminder")
    services.move_appointment(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        appointment=appointment,
        pattern=other,
        starts_at=at(day, 16),
        volunteer=None,
    )
    deliver_step(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED
    changed = Message.objects.get(template="support.appointment_changed")
    assert "16:00" in changed.body and "Salle" not in changed.body


def test_the_person_reads_the_booking_in_their_language(world):
    pattern = make_pattern(world)
    person = make_person(world, languages=["ar"])
    _book(world, pattern, next_weekday(1), person=person)
    message = Message.objects.get(template="support.appointment_booked")
    assert message.language == "ar"
    assert "موعدك" in message.body
