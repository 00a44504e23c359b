"""The equipment journey in Chromium: a workshop imports a batch (a bad row first: nothing is
imported; then the fixed file), moves it through the workshop and sends it to a reception point;
the site receives it; a volunteer checks two devices on a phone (one passes, one fails); staff
reserve the passed one for a person; the donor reads the counts in their report."""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device, ImportBatch
from tests.beneficiaries import make_beneficiary
from tests.browser.conftest import choose_suggestion, field_label, log_in, log_out
from tests.conftest import World
from tests.equipment.factories import make_donation, make_prices

HEADERS = (
    "type;marque;modele;numero_serie;imei;processeur;ram_go;stockage_go;ecran_pouces;systeme;"
    "grade;batterie_pct;effacement_methode;effacement_outil;effacement_date;"
    "effacement_operateur;effacement_resultat"
)
LAPTOP = (
    "portable;Lenovo;ThinkPad T480;PF1JOURNEY1;;Intel Core i5;8;256;14;Ubuntu 24.04;B;85;"
    "réécriture;Blancco Drive Eraser;01/10/2026;Atelier;réussi"
)
PHONE_BAD_IMEI = (
    "smartphone;Samsung;Galaxy A52;R58JOURNEY2;490154203237519;Snapdragon 720G;6;128;6,5;"
    "Android 14;A;90;réinitialisation;Android;01/10/2026;Atelier;réussi"
)
PHONE = PHONE_BAD_IMEI.replace("490154203237519", "490154203237518")


def upload(page: Page, rows: list[str]) -> None:
    page.get_by_label(field_label("Fichier des appareils")).set_input_files(
        files=[
            {
                "name": "lot.csv",
                "mimeType": "text/csv",
                "buffer": "\r\n".join([HEADERS, *rows]).encode("utf-8"),
            }
        ]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()


def answer_all(page: Page, answer: str) -> None:
    for group in page.locator("fieldset.check-point").all():
        group.get_by_text(answer, exact=True).click()


def test_batch_to_shelf_to_reservation_and_donor_report(
    live_world: World,
    page: Page,
    phone_page: Page,
    screenshot: Callable[[Page, str], Any],
) -> None:
    world = live_world
    donation = make_donation(world)
    make_prices()
    person = make_beneficiary(world)

    # 1. The workshop imports its batch: one bad IMEI, nothing imported.
    log_in(page, "rita.refurb@example.org")
    page.goto("/equipement/lots/importer/")
    choose_suggestion(page, "Don concerné", donation.reference, donation.reference)
    upload(page, [LAPTOP, PHONE_BAD_IMEI])
    expect(page.get_by_role("heading", name=re.compile("Rien n'a été importé"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^3 imei .*IMEI"))).to_be_visible()
    screenshot(page, "import-refused")
    assert Device.objects.count() == 0

    # ... then the fixed file: preview, confirm, the batch page.
    choose_suggestion(page, "Don concerné", donation.donor.name, donation.reference)
    upload(page, [LAPTOP, PHONE])
    page.get_by_role("button", name=re.compile("Confirmer l'import de 2 appareils")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Lot LOT-"))).to_be_visible()
    assert Device.objects.count() == 2
    batch = ImportBatch.objects.get()

    # The workshop refurbishes the whole batch, then sends it to Paris 19e.
    page.get_by_role("button", name=re.compile("Tout le lot : « Reçu »")).click()
    page.get_by_role("button", name=re.compile("Tout le lot : « Chez le reconditionneur »")).click()
    assert set(Device.objects.values_list("status", flat=True)) == {Status.BACK_FROM_WORKSHOP}
    page.get_by_role("link", name="Envoyer à un point d'accueil").click()
    expect(page).to_have_url(re.compile(rf"lot={batch.pk}"))
    page.get_by_label("PF1JOURNEY1").check()
    page.get_by_label("R58JOURNEY2").check()
    choose_suggestion(
        page, "Point d'accueil de destination", "paris 19", "Paris 19e", keyboard=True
    )
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("TR-"))).to_be_visible()
    screenshot(page, "transfer-sent")
    log_out(page)

    # 2. Staff at Paris 19e receive the transfer: the devices are now "à contrôler" there.
    log_in(page, "sarah.staff@example.org")
    page.goto("/equipement/transferts/")
    page.locator("#results").get_by_role("link", name=re.compile("TR-")).first.click()
    page.get_by_role("button", name="Valider la réception").click()
    expect(page.get_by_text(re.compile("Reçu", re.I)).first).to_be_visible()
    assert set(Device.objects.values_list("status", flat=True)) == {Status.TO_CHECK}
    assert set(Device.objects.values_list("reception_point", flat=True)) == {world.site_a.pk}

    # 3. The volunteer checks both on a phone-sized screen: one passes, one fails.
    log_in(phone_page, "victor.volunteer@example.org")
    phone_page.goto("/equipement/controle/")
    lookup = phone_page.get_by_label(field_label("Numéro de série ou IMEI"))
    lookup.fill("pf1journey1")
    lookup.press("Enter")
    answer_all(phone_page, "OK")
    phone_page.get_by_label(field_label("Santé de la batterie mesurée (%)")).fill("85")
    screenshot(phone_page, "check-pass")
    phone_page.get_by_role("button", name="Enregistrer le contrôle").click()
    expect(phone_page.get_by_text(re.compile("Contrôle réussi"))).to_be_visible()

    lookup = phone_page.get_by_label(field_label("Numéro de série ou IMEI"))
    lookup.fill("490154203237518")  # the IMEI works as well as the serial
    lookup.press("Enter")
    answer_all(phone_page, "OK")
    phone_page.get_by_role("group", name="Écran sans défaut").get_by_text(
        "Pas OK", exact=True
    ).click()
    phone_page.get_by_label(field_label("Santé de la batterie mesurée (%)")).fill("90")
    phone_page.get_by_label(field_label("Commentaire")).fill("Rayure profonde sur l'écran")
    phone_page.get_by_role("button", name="Enregistrer le contrôle").click()
    expect(phone_page.get_by_text(re.compile("part en réparation"))).to_be_visible()
    screenshot(phone_page, "check-fail")
    laptop = Device.objects.get(serial_number="PF1JOURNEY1")
    phone = Device.objects.get(serial_number="R58JOURNEY2")
    assert (laptop.status, phone.status) == (Status.AVAILABLE, Status.TO_REPAIR)

    # 4. Staff reserve the laptop for the person, from the person's file.
    page.goto(f"/beneficiaires/{person.public_id}/")
    page.get_by_role("navigation", name="Parties du dossier").get_by_role(
        "link", name="Équipement et connexion"
    ).click()
    page.get_by_role("link", name="Réserver un appareil").click()
    page.get_by_role("row", name=re.compile("PF1JOURNEY1")).get_by_role(
        "button", name="Réserver"
    ).click()
    expect(page.get_by_text(re.compile("réservé", re.I)).first).to_be_visible()
    screenshot(page, "reserved")
    laptop.refresh_from_db()
    assert laptop.status == Status.RESERVED and laptop.reserved_for_id == person.pk
    log_out(page)

    # 5. The donor reads the counts in their report.
    log_in(page, "denis.donor@example.org")
    page.goto("/equipement/rapport-donateur/")
    received = page.locator(".card").filter(has_text="Appareils reçus").first
    expect(received).to_contain_text("2")
    expect(page.locator("main")).not_to_contain_text(person.last_name)
    screenshot(page, "donor-report")
