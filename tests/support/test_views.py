"""The permanence and agenda pages: booking from the agenda and from the file, bad input, the
agenda's constant query count, the volunteer's own sessions, the file's upcoming sessions."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from solidarnum.notifications.models import Message
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import Appointment, SiteSettings
from tests.pages import count_queries
from tests.support.factories import (
    at,
    make_appointment,
    make_cohort,
    make_pattern,
    make_person,
    make_template,
    make_workshop,
    next_weekday,
)


def _slot_url(pattern, day):
    return reverse(
        "support:slot_book", kwargs={"pk": pattern.pk, "moment": f"{day:%Y-%m-%d}T14:00"}
    )


def test_booking_from_the_agenda(world, clients):
    pattern = make_pattern(world)
    person = make_person(world)
    day = next_weekday(1)
    page = clients["staff_a"].get(_slot_url(pattern, day))
    assert page.status_code == 200
    assert "Victor" in page.text or "victor" in page.text
    response = clients["staff_a"].post(
        _slot_url(pattern, day),
        {
            "beneficiary": person.pk,
            "beneficiary_text": person.full_name,
            "volunteer": world.users["volunteer_a"].pk,
            "what_to_bring": "votre téléphone",
        },
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "support:appointment_detail", kwargs={"pk": appointment.pk}
    )
    assert appointment.volunteer == world.users["volunteer_a"]
    assert Message.objects.filter(template="support.appointment_booked").exists()


def test_a_booking_form_with_errors_answers_400_and_saves_nothing(world, clients):
    pattern = make_pattern(world)
    response = clients["staff_a"].post(_slot_url(pattern, next_weekday(1)), {"volunteer": ""})
    assert response.status_code == 400
    assert "Choisissez la personne" in response.text
    assert not Appointment.objects.exists()


def test_a_volunteer_already_booked_is_refused_with_a_clear_message(world, clients):
    day = next_weekday(1)
    make_appointment(world, starts_at=at(day, 14))
    pattern = make_pattern(world, room="Salle 2")
    person = make_person(world)
    response = clients["staff_a"].post(
        _slot_url(pattern, day),
        {
            "beneficiary": person.pk,
            "beneficiary_text": "",
            "volunteer": world.users["volunteer_a"].pk,
        },
    )
    # The volunteer is no longer proposed for that time: the choice is refused.
    assert response.status_code == 400
    assert Appointment.objects.count() == 1


def test_booking_from_the_file_and_the_file_shows_it(world, clients):
    make_pattern(world)
    person = make_person(world)
    url = reverse("support:person_book", kwargs={"public_id": person.public_id})
    page = clients["staff_a"].get(url)
    slot = page.context["form"].fields["slot"].choices[0][0]
    response = clients["staff_a"].post(url, {"slot": slot, "volunteer": "", "what_to_bring": ""})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    file_url = reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": person.public_id})
    for who in ("staff_a", "volunteer_a"):
        text = clients[who].get(file_url).text
        assert "Permanence connectée · Salle 1" in text
        assert timezone.localtime(appointment.starts_at).strftime("%d/%m/%Y %H:%M") in text


def test_a_referent_books_where_the_site_allows(world, clients):
    SiteSettings.objects.create(reception_point=world.site_a, referents_may_book=True)
    make_pattern(world)
    person = make_person(world, referent=world.users["referent"])
    url = reverse("support:person_book", kwargs={"public_id": person.public_id})
    page = clients["referent"].get(url)
    assert "volunteer" not in page.context["form"].fields
    slot = page.context["form"].fields["slot"].choices[0][0]
    assert clients["referent"].post(url, {"slot": slot}).status_code == 302
    listing = clients["referent"].get(reverse("support:referent_bookings")).text
    assert person.full_name in listing


def test_the_volunteer_marks_came_after_the_start(world, clients):
    appointment = make_appointment(world, starts_at=timezone.now() - timedelta(minutes=10))
    url = reverse("support:appointment_status", kwargs={"pk": appointment.pk})
    clients["volunteer_a"].post(url, {"status": "came"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CAME


def test_the_agenda_costs_the_same_queries_for_a_big_week(world, clients):
    day = next_weekday(0)
    for hour in (9, 11):
        make_pattern(world, weekday=0, hour=hour)
    make_workshop(world, starts_at=at(day + timedelta(days=2), 10))
    make_cohort(world, start=day)
    url = reverse("support:agenda")
    few = count_queries(clients["staff_a"], url, {"jour": day.isoformat()})
    for weekday in range(6):
        for hour in (9, 11, 14, 16):
            for room in ("A", "B", "C"):
                make_pattern(world, weekday=weekday, hour=hour, room=f"Salle {room}")
    for n in range(20):
        make_appointment(
            world,
            starts_at=at(day, 14) + timedelta(days=n % 5),
            volunteer="staff_a" if n % 2 else "volunteer_a",
            pattern=None,
        )
    for n in range(5):
        make_workshop(
            world, starts_at=at(day + timedelta(days=n), 10), animators=("staff_a", "manager_a")
        )
    make_cohort(world, template=make_template("Emploi", sessions=8), start=day)
    many = count_queries(clients["staff_a"], url, {"jour": day.isoformat()})
    assert many == few
    assert count_queries(clients["staff_a"], url, {"jour": day.isoformat(), "vue": "jour"}) <= few


def test_my_sessions_lists_the_volunteers_own(world, clients):
    mine = make_appointment(world, volunteer="volunteer_a")
    make_appointment(world, volunteer="staff_a", starts_at=mine.starts_at + timedelta(hours=3))
    text = clients["volunteer_a"].get(reverse("support:my_sessions")).text
    assert mine.beneficiary.full_name in text
    assert text.count("Permanence connectée") == 1


def test_the_public_ics_gives_place_and_time_without_login(world, client):
    appointment = make_appointment(world, what_to_bring="vos papiers")
    response = client.get(
        reverse("support:appointment_public_ics", kwargs={"token": appointment.public_token})
    )
    assert response["Content-Type"] == "text/calendar"
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "Paris 19e" in body and "vos papiers" in body
    assert appointment.volunteer.email not in body
