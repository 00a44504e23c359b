"""The person's page of their appointment (from an SMS, no login) and its calendar file: in the
person's language, saying plainly when it is cancelled, moved or past, with nothing of their
file beyond what they need; the SMS link to it and stay within their budget."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.notifications import messages
from solidarnum.notifications.enums import Channel
from solidarnum.notifications.gsm import sms_length
from solidarnum.notifications.models import Message
from solidarnum.support import reminders
from solidarnum.support.permanences import services
from solidarnum.support.public.views import CANCELLED, MOVED, PAST, UPCOMING, appointment_state
from tests.pages import count_queries
from tests.support.factories import (
    at,
    make_appointment,
    make_pattern,
    make_person,
    next_weekday,
    scope_of_user,
)

# (language, lang attribute, dir, a sentence of the page, the weekday of next Tuesday)
LANGUAGES = [
    ("fr", "fr", "ltr", "Ajouter à mon agenda", "mardi"),
    ("en", "en", "ltr", "Add to my calendar", "Tuesday"),
    ("ar", "ar", "rtl", "أضف إلى التقويم", "الثلاثاء"),
    ("uk", "uk", "ltr", "Додати в мій календар", "вівторок"),
    ("prs", "fa-AF", "rtl", "به تقویم من اضافه کن", "سه\u200cشنبه"),  # noqa: RUF001
]


def page_url(appointment, **query):
    url = reverse("support:appointment_public", kwargs={"token": appointment.public_token})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def ics_url(appointment, **query):
    url = reverse("support:appointment_public_ics", kwargs={"token": appointment.public_token})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(("language", "lang", "direction", "sentence", "weekday"), LANGUAGES)
def test_the_page_is_in_the_language_of_the_persons_file(
    world, client, language, lang, direction, sentence, weekday
):
    person = make_person(world, languages=[language, "fr"])
    appointment = make_appointment(world, person=person, what_to_bring="vos papiers")
    response = client.get(page_url(appointment))
    text = response.text
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in text
    assert sentence in text and weekday in text
    assert "14:00" in text or "2:00" in text  # the hour, written as the language does
    assert "Paris 19e" in text and "12 rue de Tanger" in text and "vos papiers" in text
    assert 'href="tel:+33142000000"' in text
    assert f"{ics_url(appointment)}?lang={language}" in text
    assert 'class="language-switcher"' in text
    assert response["Content-Language"] == lang
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_visitors_choice_beats_the_file_and_the_browser_follows_a_file_without_language(
    world, client
):
    appointment = make_appointment(world, person=make_person(world, languages=["ar"]))
    assert 'lang="uk"' in client.get(page_url(appointment, lang="uk")).text
    assert 'lang="uk"' in client.get(page_url(appointment)).text  # the cookie remembers it
    other = make_appointment(
        world, person=make_person(world), starts_at=appointment.starts_at + timedelta(hours=2)
    )
    assert 'lang="en"' in client.get(page_url(other), HTTP_ACCEPT_LANGUAGE="en").text


def test_the_page_shows_nothing_of_the_person_nor_the_volunteers_name(world, client):
    person = make_person(world, first_name="Samira", last_name="Nasri", phone="+33611223344")
    appointment = make_appointment(world, person=person)
    volunteer = appointment.volunteer
    text = client.get(page_url(appointment)).text
    assert "Nasri" not in text and "Samira" not in text
    assert "11 22 33 44" not in text and "611223344" not in text
    for name in (volunteer.last_name, volunteer.email, volunteer.first_name):
        assert not name or name not in text
    assert f"/{appointment.pk}/" not in text
    assert "X-Robots-Tag" in client.get(page_url(appointment)).headers


def test_a_cancelled_appointment_says_so_and_offers_no_calendar(world, client):
    appointment = make_appointment(world, person=make_person(world, languages=["ar"]))
    appointment.status = "cancelled"
    appointment.save()
    text = client.get(page_url(appointment, lang="fr")).text
    assert "Ce rendez-vous est annulé." in text and "n'a plus lieu" in text
    assert "Ajouter à mon agenda" not in text and ".ics" not in text
    assert 'href="tel:+33142000000"' in text  # the number to call for another one
    assert "هذا الموعد ملغى." in client.get(page_url(appointment, lang="ar")).text
    assert client.get(ics_url(appointment)).status_code == 404


def test_an_appointment_excused_before_its_time_is_cancelled_for_the_person(world, client):
    appointment = make_appointment(world, status="excused")
    assert "Ce rendez-vous est annulé." in client.get(page_url(appointment)).text


def test_a_moved_appointment_shows_only_its_new_time_and_says_it_changed(world, clients, client):
    day = next_weekday(1)
    pattern = make_pattern(world)
    appointment = make_appointment(world, pattern=pattern, starts_at=at(day, 14))
    before = client.get(page_url(appointment)).text
    assert "Votre rendez-vous a changé." not in before
    later = make_pattern(world, room="Salle 2", hour=16)
    moved = clients["staff_a"].post(
        reverse("support:appointment_move", kwargs={"pk": appointment.pk}),
        {"slot": f"{later.pk}:{day:%Y-%m-%d}T16:00", "volunteer": appointment.volunteer_id},
    )
    assert moved.status_code == 302
    text = client.get(page_url(appointment)).text
    assert "Votre rendez-vous a changé." in text and "L'ancienne date ne compte plus" in text
    assert "16:00" in text and "Salle 2" in text
    assert "14:00" not in text and "Salle 1" not in text
    assert "Ajouter à mon agenda" in text
    calendar = client.get(ics_url(appointment)).content.decode()
    assert "SEQUENCE:" in calendar  # a calendar replaces the old event


def test_a_past_appointment_says_it_is_past(world, client):
    yesterday = timezone.localdate() - timedelta(days=1)
    appointment = make_appointment(world, starts_at=at(yesterday, 10), status="came")
    text = client.get(page_url(appointment)).text
    assert "Ce rendez-vous est passé." in text and "Ajouter à mon agenda" not in text
    not_marked = make_appointment(world, starts_at=at(yesterday, 14))
    assert "Ce rendez-vous est passé." in client.get(page_url(not_marked)).text


def test_the_state_of_an_appointment(world):
    now = timezone.now()
    appointment = make_appointment(world, starts_at=now + timedelta(days=1))
    assert appointment_state(appointment, now) == UPCOMING
    appointment.moved_at = now
    assert appointment_state(appointment, now) == MOVED
    assert appointment_state(appointment, now + timedelta(days=2)) == PAST
    appointment.status = "cancelled"
    assert appointment_state(appointment, now + timedelta(days=2)) == CANCELLED


@pytest.mark.parametrize("language", ["ar", "prs"])
def test_an_unknown_token_answers_the_products_404_in_the_visitors_language(db, client, language):
    url = reverse(
        "support:appointment_public", kwargs={"token": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}
    )
    response = client.get(f"{url}?lang={language}")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.text and "solidarnum" in response.text
    assert client.get("/accompagner/rdv/pas-un-jeton/").status_code == 404


def test_the_page_costs_the_same_queries_whatever_the_site_holds(world, client):
    appointment = make_appointment(world, person=make_person(world, languages=["uk"]))
    few = count_queries(client, page_url(appointment))
    for hours in (2, 4, 6):
        make_appointment(world, starts_at=appointment.starts_at + timedelta(hours=hours))
    assert count_queries(client, page_url(appointment)) == few <= 2


@pytest.mark.parametrize(
    ("language", "summary", "bring"),
    [
        ("fr", "Rendez-vous à Paris 19e", "À apporter : vos papiers"),
        ("en", "Appointment at Paris 19e", "What to bring: vos papiers"),
        ("ar", "موعد في Paris 19e", "أحضر معك: vos papiers"),
        ("uk", "Зустріч у Paris 19e", "Що взяти з собою: vos papiers"),  # noqa: RUF001
        ("prs", "ملاقات در Paris 19e", "با خود بیاورید: vos papiers"),
    ],
)
def test_the_calendar_file_is_in_the_persons_language(world, client, language, summary, bring):
    person = make_person(world, languages=[language])
    appointment = make_appointment(world, person=person, what_to_bring="vos papiers")
    response = client.get(ics_url(appointment))
    assert response["Content-Type"] == "text/calendar"
    body = response.content.decode().replace("\r\n ", "")  # unfolded
    assert f"SUMMARY:{summary}" in body and bring in body
    assert "01 42 00 00 00" in body and page_url(appointment) in body
    assert appointment.volunteer.email not in body and person.last_name not in body
    # The page's button asks for the page's language.
    assert summary in client.get(
        ics_url(
            make_appointment(world, starts_at=appointment.starts_at + timedelta(hours=3)),
            lang=language,
        )
    ).content.decode().replace("\r\n ", "")


def test_the_booking_sms_links_to_the_page(world):
    person = make_person(world, languages=["ar"])
    appointment = services.book_appointment(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        beneficiary=person,
        pattern=make_pattern(world),
        starts_at=at(next_weekday(1), 14),
        volunteer=world.users["volunteer_a"],
    )
    message = Message.objects.get(template="support.appointment_booked")
    assert f"http://testserver{page_url(appointment)}" in message.body
    assert ".ics" not in message.body and "موعدك" in message.body


APPOINTMENT_SMS = [
    key
    for key in (template.key for template in messages.all_templates())
    if key.startswith("support.appointment_")
]


@pytest.mark.parametrize("key", APPOINTMENT_SMS)
@pytest.mark.parametrize("language", ["fr", "en", "ar", "uk", "prs"])
def test_the_appointment_sms_carry_the_link_within_their_budget(key, language):
    """Two segments in French or English (GSM 03.38), three in Arabic, Ukrainian and Dari
    (UCS-2: 67 characters a segment), with a link of a real length."""
    template = messages.get(key)
    assert "link" in template.variables
    body = messages.render(template, template.sample, language=language, channel=Channel.SMS).body
    assert template.sample["link"] in body
    length = sms_length(body)
    assert length.segments <= (2 if length.encoding == "GSM" else 3), (length, body)


def test_every_reminder_links_to_the_page(world):
    appointment = make_appointment(world, starts_at=timezone.now() + timedelta(hours=3))
    reminders.send_changed(appointment)
    reminders.send_cancelled(appointment)
    for message in Message.objects.filter(template__startswith="support.appointment_"):
        assert reminders.page_url(appointment) in message.body


def test_staff_see_the_persons_link_and_resend_it(world, clients):
    appointment = make_appointment(world)
    detail = reverse("support:appointment_detail", kwargs={"pk": appointment.pk})
    resend = reverse("support:appointment_resend", kwargs={"pk": appointment.pk})
    text = clients["staff_a"].get(detail).text
    assert "Lien envoyé à la personne" in text and page_url(appointment) in text
    assert resend in text
    assert resend not in clients["volunteer_a"].get(detail).text
    assert page_url(appointment) in clients["volunteer_a"].get(detail).text
    assert clients["staff_a"].post(resend).status_code == 302
    message = Message.objects.get(template="support.appointment_booked")
    assert reminders.page_url(appointment) in message.body


def test_the_link_of_a_past_appointment_is_not_resent(world, clients):
    appointment = make_appointment(world, starts_at=timezone.now() - timedelta(days=1))
    resend = reverse("support:appointment_resend", kwargs={"pk": appointment.pk})
    response = clients["staff_a"].post(resend, follow=True)
    assert "Seul le lien d&#x27;une permanence à venir se renvoie." in response.text
    assert not Message.objects.filter(template="support.appointment_booked").exists()
