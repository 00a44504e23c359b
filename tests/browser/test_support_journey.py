"""A référent books a permanence for the person they referred; the reminder shows in the
development console; on the day, the volunteer marks "venu" on a phone and records the activity
in under a minute."""

import io
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from solidarnum.notifications.backends import ConsoleSmsBackend
from solidarnum.support import reminders
from solidarnum.support.models import ActivityRecord, Appointment, SiteSettings
from tests.browser.conftest import TIMEOUT_MS, log_in
from tests.conftest import World
from tests.support.factories import at, make_pattern, make_person
from tests.volunteers.factories import make_profile, make_slot


def test_a_referents_person_is_booked_reminded_and_accompanied(
    live_world: World, page: Page, phone_page: Page, settings, screenshot, monkeypatch
) -> None:
    console = io.StringIO()
    settings.NOTIFICATIONS_SMS_BACKENDS = ["solidarnum.notifications.backends.ConsoleSmsBackend"]
    monkeypatch.setattr(ConsoleSmsBackend, "stream", console)
    SiteSettings.objects.create(reception_point=live_world.site_a, referents_may_book=True)
    make_pattern(live_world, weekday=1, hour=14)
    person = make_person(
        live_world, first_name="Awa", last_name="Diallo", referent=live_world.users["referent"]
    )
    # The volunteer comes on Tuesday afternoons: the agenda proposes them for the slot.
    make_slot(make_profile(live_world.users["volunteer_a"]), live_world.site_a, weekday=1)

    # The référent books a slot for the person they referred.
    log_in(page, "remi.referent@example.org")
    page.goto("/accompagner/orientees/")
    page.get_by_role("button", name="Réserver").or_(
        page.get_by_role("link", name="Réserver")
    ).first.click()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_text("Permanence réservée : la personne est prévenue.")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    screenshot(page, "booked")
    appointment = Appointment.objects.get(beneficiary=person)
    assert appointment.volunteer == live_world.users["volunteer_a"]
    assert "Rendez-vous le" in console.getvalue()

    # Two days before at 09:00, the reminder goes: the console prints it.
    day = timezone.localtime(appointment.starts_at).date()
    assert reminders.remind_two_days_before(now=at(day - timedelta(days=2), 9)) == 1
    assert "Rappel : rendez-vous le" in console.getvalue()

    # On the day: the session has started.
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(minutes=20),
        ends_at=timezone.now() + timedelta(minutes=70),
    )
    log_in(phone_page, "victor.volunteer@example.org")
    phone_page.goto("/accompagner/mes-seances/")
    phone_page.get_by_role("link", name="Ouvrir").first.click()
    phone_page.get_by_role("button", name="Venu·e").click()
    expect(phone_page.get_by_text("Présence notée.")).to_be_visible(timeout=TIMEOUT_MS)
    phone_page.get_by_role("link", name="Faire le compte-rendu").click()
    phone_page.get_by_label("E-mail", exact=True).check()
    phone_page.get_by_label("Plutôt autonome").check()
    phone_page.get_by_role("button", name="Enregistrer le compte-rendu").click()
    expect(phone_page.get_by_text("Compte-rendu enregistré. Merci !")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    screenshot(phone_page, "recorded")
    record = ActivityRecord.objects.get(appointment=appointment)
    assert record.themes == ["email"] and record.autonomy == "autonome"
