"""The connectivity journey in Chromium: the national admin lowers the basic recharge price from
a date; a reception point receives a delivery (one bad ICCID first: nothing imported; then the
fixed file), consigns 50 recharges to its relay; the relay operator records 12 sales on a
phone-sized screen; the month's statement says 12 sold, the amount due and 38 left; staff hand
10 packs maraude to a partner structure and the stock of each part drops by 10."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect
from stdnum import luhn

from solidarnum.connectivity.enums import OfferKind
from solidarnum.connectivity.models import Code
from solidarnum.equipment.enums import DeviceKind
from tests.browser.conftest import field_label, log_in, log_out
from tests.conftest import World
from tests.connectivity.factories import make_offer
from tests.equipment.factories import make_device, make_donation

HEAD = "offre;iccid;numero_serie;code_secret;valeur_faciale"


def upload(page: Page, rows: list[str]) -> None:
    page.get_by_label(field_label("Fichier de la livraison")).set_input_files(
        files=[
            {
                "name": "livraison.csv",
                "mimeType": "text/csv",
                "buffer": "\r\n".join([HEAD, *rows]).encode("utf-8"),
            }
        ]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()


def test_price_delivery_consignment_relay_sales_and_statement(
    live_world: World, page: Page, phone_page: Page
) -> None:
    world = live_world
    recharge = make_offer("Recharge essentielle", solidarity="6.00", market="10.00")
    make_offer("Carte SIM prépayée", kind=OfferKind.SIM, solidarity="2", market="10")

    # The national admin lowers the basic recharge price from tomorrow.
    log_in(page, world.users["admin"].email)
    page.goto(f"/connexion/offres/{recharge.pk}/")
    page.get_by_role("link", name="Changer le prix").click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.get_by_label(field_label("À partir du")).fill(tomorrow.isoformat())
    page.get_by_label(field_label("Prix solidaire (€)")).fill("4,00")
    page.get_by_role("button", name="Enregistrer le prix").click()
    expect(
        page.get_by_text(re.compile(r"Nouveau prix de « Recharge essentielle » : 4,00 €"))
    ).to_be_visible()
    log_out(page)

    # The reception point receives a delivery: a bad ICCID first, then the fixed file.
    log_in(page, world.users["staff_a"].email)
    page.goto("/connexion/livraisons/recevoir/")
    rows = [f"Recharge essentielle;;RCJ{n:04d};{31415926000 + n};10" for n in range(60)]
    upload(page, ["Carte SIM prépayée;8933150319000000017;;;", *rows])
    expect(
        page.get_by_role("heading", name=re.compile("Rien n'a été importé : 1 ligne"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile("clé de contrôle"))).to_be_visible()
    assert not Code.objects.exists()
    sims = [f"8933150319{n:08d}" for n in range(11)]
    sims = [f"Carte SIM prépayée;{iccid}{luhn.calc_check_digit(iccid)};;;" for iccid in sims]
    upload(page, [*sims, *rows])
    page.get_by_role("button", name=re.compile("Confirmer la réception de 71")).click()
    expect(page.get_by_text(re.compile("71 cartes et codes en stock"))).to_be_visible()

    # It consigns 50 recharges to its relay.
    page.goto(f"/connexion/relais/{world.relay_a.pk}/")
    consign = page.locator("form", has=page.get_by_role("button", name="Confier"))
    consign.get_by_label(field_label("Offre")).select_option(label="Recharge essentielle")
    consign.get_by_label(field_label("Quantité")).fill("50")
    consign.get_by_role("button", name="Confier").click()
    expect(page.get_by_text(re.compile("50 « Recharge essentielle » confiés"))).to_be_visible()

    # The relay operator records 12 sales on a phone.
    log_in(phone_page, world.users["relay_operator"].email)
    phone_page.goto("/connexion/mon-relais/")
    for n in range(12):
        phone_page.get_by_label("Recharge essentielle").check()
        phone_page.get_by_label(field_label("Quantité")).fill("1")
        phone_page.get_by_label(field_label("Prénom de l'acheteur")).fill(f"Awa{n}")
        phone_page.get_by_label(field_label("Année de naissance")).fill("1984")
        phone_page.get_by_role("button", name="Enregistrer la vente").click()
        expect(phone_page.get_by_role("heading", name="Vente enregistrée")).to_be_visible()
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone_page.get_by_role("link", name="Nouvelle vente").click()
    expect(phone_page.get_by_text(re.compile(r"Recharge essentielle : 38"))).to_be_visible()

    # The month's statement: 12 sold, 48 € due (today's price), 38 left.
    page.goto(f"/connexion/relais/{world.relay_a.pk}/")
    page.get_by_role("link", name="Relevé du mois en cours").click()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(re.compile(r"Vendus\s*12"))
    expect(facts).to_contain_text(re.compile(r"Restants en fin de mois\s*38"))
    expect(facts).to_contain_text("72,00 €")

    # Staff hand 10 packs maraude: 10 basic phones, 10 SIM cards, the 10 recharges left.
    donation = make_donation(world)
    for _ in range(12):
        make_device(world, donation=donation, kind=DeviceKind.BASIC_PHONE, imei=None)
    page.goto("/connexion/packs/remettre/")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(re.compile(r"Téléphones simples disponibles\s*12"))
    expect(facts).to_contain_text(re.compile(r"Cartes SIM en stock\s*11"))
    expect(facts).to_contain_text(re.compile(r"Recharges en stock\s*10"))
    page.get_by_label(field_label("Structure qui reçoit les packs")).select_option(
        label=str(world.structure_a)
    )
    page.get_by_label(field_label("Nombre de packs")).fill("10")
    page.get_by_role("button", name="Remettre les packs").click()
    expect(page.get_by_text(re.compile("10 packs remis à"))).to_be_visible()
    expect(page.get_by_role("link", name="Bordereau de remise (PDF)")).to_be_visible()
    page.goto("/connexion/packs/remettre/")
    expect(facts).to_contain_text(re.compile(r"Téléphones simples disponibles\s*2"))
    expect(facts).to_contain_text(re.compile(r"Cartes SIM en stock\s*1"))
    expect(facts).to_contain_text(re.compile(r"Recharges en stock\s*0"))
