"""Moving a permanence from its page: another slot or another volunteer, the person told the new
time, a reminder queued for the old one never sent."""

import time_machine
from django.urls import reverse

from solidarnum.notifications.delivery import deliver_step
from solidarnum.notifications.enums import MessageStatus
from solidarnum.notifications.models import Message
from solidarnum.support import reminders
from tests.support.factories import at, make_appointment, make_pattern, make_person, next_weekday


def move_url(appointment):
    return reverse("support:appointment_move", kwargs={"pk": appointment.pk})


def booked(world, day):
    pattern = make_pattern(world)
    return make_appointment(
        world, person=make_person(world), pattern=pattern, starts_at=at(day, 14)
    )


def test_the_appointment_page_offers_the_move_to_staff_only(world, clients):
    appointment = booked(world, next_weekday(1))
    detail = reverse("support:appointment_detail", kwargs={"pk": appointment.pk})
    assert move_url(appointment) in clients["staff_a"].get(detail).text
    assert move_url(appointment) not in clients["volunteer_a"].get(detail).text


def test_staff_move_it_to_another_slot_and_the_stale_reminder_is_not_sent(world, clients):
    day = next_weekday(1)
    appointment = booked(world, day)
    other = make_pattern(world, room="Salle 2", hour=16)
    with time_machine.travel(at(day, 7), tick=False):
        reminders.remind_same_day()
    reminder = Message.objects.get(template="support.appointment_reminder")
    page = clients["staff_a"].get(move_url(appointment))
    key = f"{other.pk}:{day:%Y-%m-%d}T16:00"
    assert page.status_code == 200 and key in page.text
    response = clients["staff_a"].post(
        move_url(appointment), {"slot": key, "volunteer": world.users["volunteer_a"].pk}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == at(day, 16) and appointment.room == "Salle 2"
    deliver_step(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED
    assert "16:00" in Message.objects.get(template="support.appointment_changed").body


def test_staff_keep_the_slot_and_change_the_volunteer(world, clients):
    day = next_weekday(1)
    appointment = booked(world, day)
    keep = f"{appointment.pattern_id}:{day:%Y-%m-%d}T14:00"
    response = clients["staff_a"].post(
        move_url(appointment), {"slot": keep, "volunteer": world.users["staff_a"].pk}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.volunteer == world.users["staff_a"]
    assert appointment.starts_at == at(day, 14)
    assert not Message.objects.filter(template="support.appointment_changed").exists()


def test_a_bad_move_answers_400_and_changes_nothing(world, clients):
    day = next_weekday(1)
    appointment = booked(world, day)
    response = clients["staff_a"].post(move_url(appointment), {"slot": "", "volunteer": ""})
    assert response.status_code == 400
    assert "Choisissez un créneau" in response.text
    stale = f"{appointment.pattern_id}:{day:%Y-%m-%d}T09:00"  # not a time of the slot
    response = clients["staff_a"].post(
        move_url(appointment), {"slot": stale, "volunteer": world.users["volunteer_a"].pk}
    )
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert appointment.starts_at == at(day, 14)
