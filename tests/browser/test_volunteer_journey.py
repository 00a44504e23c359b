"""A candidate applies; the site manager meets, welcomes and invites them; the new volunteer
fills their profile and weekly availability on a phone; staff book a permanence and the
volunteer is proposed first because they speak the person's language; once the session has
taken place their hours appear; the manager validates a declared hour and downloads the
valuation."""

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from solidarnum.accounts.models import Invitation
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import Appointment
from solidarnum.volunteers import staffing
from solidarnum.volunteers.models import Candidate
from tests.browser.conftest import PHONE, field_label, log_in, log_out
from tests.conftest import World
from tests.support.factories import make_pattern, make_person, next_weekday
from tests.volunteers.factories import make_hours, make_profile, make_slot

NEW_PASSWORD = "un-mot-de-passe-benevole"


def test_from_the_application_to_the_valuation(
    live_world: World, page: Page, new_context, screenshot
) -> None:
    staffing.register()
    world = live_world
    # Victor already volunteers on Tuesdays and has given fewer hours: without the language, he
    # would come first.
    make_slot(make_profile(world.users["volunteer_a"], languages_spoken=["fr"]), world.site_a)

    # 1. A candidate applies on the public page.
    page.goto(f"/benevoles/devenir-benevole/{world.site_a.pk}/")
    page.get_by_label(field_label("Prénom")).fill("Amina")
    page.get_by_label(field_label("Nom")).fill("Haddad")
    page.get_by_label(field_label("E-mail")).fill("amina.haddad@example.org")
    page.get_by_label("Accompagnement individuel").check()
    page.get_by_label(field_label("Vos disponibilités")).fill("le mardi après-midi")
    page.get_by_label(re.compile("J'accepte que le point d'accueil")).check()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("heading", name="Merci !")).to_be_visible()
    candidate = Candidate.objects.get()

    # 2. The manager meets and welcomes her, then invites her as a volunteer.
    log_in(page, "marc.manager@example.org")
    page.goto(f"/benevoles/candidatures/{candidate.pk}/")
    for step in ("rencontré·e", "accueilli·e"):
        page.get_by_label(field_label("Étape")).select_option(label=step)
        page.get_by_role("button", name="Enregistrer l'étape").click()
        expect(page.get_by_text("Candidature mise à jour.")).to_be_visible()
    page.get_by_role("button", name="Inviter comme bénévole").click()
    expect(page.get_by_text("Invitation envoyée à amina.haddad@example.org")).to_be_visible()
    invitation = Invitation.objects.get(email="amina.haddad@example.org")
    log_out(page)

    # 3. On her phone: the account, the profile, the weekly availability.
    phone = new_context(PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"/invitation/{invitation.token}/")
    phone.get_by_label(field_label("Prénom")).fill("Amina")
    phone.get_by_label(field_label("Nom")).fill("Haddad")
    phone.get_by_label(field_label("Mot de passe")).fill(NEW_PASSWORD)
    phone.get_by_label(field_label("Confirmez le mot de passe")).fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Créer mon compte").click()
    expect(phone.get_by_text("Bienvenue ! Votre compte est créé.")).to_be_visible()
    phone.goto("/benevoles/mon-profil/modifier/")
    phone.get_by_label("Accompagnement individuel").check()
    phone.get_by_role("group", name=re.compile("Langues parlées")).get_by_label("Arabe").check()
    phone.get_by_role("group", name=re.compile("Langues parlées")).get_by_label("Français").check()
    phone.get_by_role("button", name="Enregistrer").click()
    expect(phone.get_by_text("Profil enregistré")).to_be_visible()
    phone.get_by_role("link", name="Mes disponibilités").click()
    phone.get_by_label(field_label("Jour")).select_option(label="mardi")
    phone.get_by_label(field_label("De")).fill("14:00")
    phone.get_by_label(field_label("À")).fill("18:00")
    phone.get_by_role("button", name="Ajouter ce créneau").click()
    expect(phone.get_by_text("Créneau ajouté.")).to_be_visible()
    expect(phone.get_by_role("cell", name="14:00 – 18:00")).to_be_visible()
    screenshot(phone, "availability-on-a-phone")

    # 4. Staff book a permanence for a person who speaks Arabic: Amina is proposed first.
    person = make_person(world, first_name="Samira", last_name="Nasri", languages=["ar"])
    pattern = make_pattern(world, weekday=1, hour=14)
    day = next_weekday(1)
    log_in(page, "sarah.staff@example.org")
    page.goto(
        f"/accompagner/creneaux/{pattern.pk}/{day:%Y-%m-%d}T14:00/reserver/?personne={person.public_id}"
    )
    volunteer = page.get_by_label(field_label("Avec"))
    first = volunteer.locator("option").first
    expect(first).to_have_text(re.compile(r"^Amina Haddad · parle arabe"))
    volunteer.select_option(index=0)
    page.get_by_role("button", name=re.compile("Réserver")).click()
    expect(page.get_by_text("Permanence réservée")).to_be_visible()
    appointment = Appointment.objects.get(beneficiary=person)
    assert appointment.volunteer.email == "amina.haddad@example.org"

    # 5. The session took place (its time has come and gone): her hours appear.
    started = timezone.now() - timedelta(hours=3)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=started, ends_at=started + timedelta(minutes=90), status=AppointmentStatus.CAME
    )
    phone.goto("/benevoles/mes-heures/")
    expect(phone.get_by_role("cell", name="Permanence connectée")).to_be_visible()
    expect(phone.locator("dd").first).to_have_text("1,50 h")

    # 6. The manager validates a declared hour and downloads the valuation.
    make_hours(appointment.volunteer, world.site_a, minutes=60, comment="Forum")
    log_out(page)
    log_in(page, "marc.manager@example.org")
    page.goto("/benevoles/heures/a-valider/")
    page.get_by_role("row", name=re.compile("Forum")).get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Heures validées.")).to_be_visible()
    page.goto("/benevoles/heures/")
    expect(page.get_by_role("cell", name="Amina Haddad")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la valorisation (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Amina Haddad;2.50;1;1;29.70" in text
    screenshot(page, "valuation")
