"""The till in Chromium, the story of one person: a référent's bon validated by the reception
point (the referral journey covers those screens), then at the till a SIM card and a basic
recharge (4 €) paid in cash, the receipt with the code shown once; later the laptop reserved for
him and a data card (2 €); the file shows the purchasing power injected, the référent sees both
milestones; once his access has ended the till refuses with the plain message; the session is
closed with a 1 € difference, shown on its report."""

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from solidarnum.beneficiaries.models import AccessPeriod
from solidarnum.equipment.reservations.services import reserve
from solidarnum.referrals.models import Referral
from solidarnum.sales.models import CashSession, Till
from tests.beneficiaries import make_beneficiary
from tests.browser.conftest import field_label, log_in, log_out
from tests.conftest import World
from tests.connectivity.factories import make_codes, make_offer, secret_of
from tests.equipment.factories import make_device, make_prices
from tests.sales.factories import make_market_prices, scope_of_user


def _add(page: Page, label: str) -> None:
    page.get_by_role("region", name="Ajouter").get_by_role(
        "button", name=re.compile(rf"^{re.escape(label)}")
    ).click()


def test_the_story_of_a_person_at_the_till(
    live_world: World, page: Page, screenshot: Callable[[Page, str], Any]
) -> None:
    make_prices()
    make_market_prices()
    sim = make_offer("Carte SIM", kind="sim", solidarity="1.00", market="10.00")
    recharge = make_offer("Recharge essentielle", solidarity="4.00", market="6.00")
    data = make_offer("Carte data 8 Go", kind="data", solidarity="2.00", market="4.00")
    for offer in (sim, recharge, data):
        make_codes(offer, live_world.site_a, 3, with_secret=offer is not sim)
    Till.objects.create(reception_point=live_world.site_a, name="Caisse 1")
    person = make_beneficiary(live_world, first_name="Moussa", last_name="Traoré")
    reference = Referral.objects.get(beneficiary=person).reference
    staff = live_world.users["staff_a"]
    assert staff is not None

    # The counter opens the till with its float and finds Moussa by the code of his bon.
    log_in(page, staff.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Caisse", exact=True
    ).click()
    page.get_by_label(field_label("Fond de caisse compté (€)")).fill("50,00")
    page.get_by_role("button", name="Ouvrir la caisse").click()
    expect(page.get_by_role("heading", level=1, name="Nouvelle vente")).to_be_visible()
    search = page.get_by_label(field_label("Code du bon, nom, téléphone ou identifiant"))
    search.fill(reference)
    search.press("Enter")
    page.get_by_role("button", name="Commencer le panier").click()
    banner = page.get_by_role("region", name="Peut-elle acheter ?")
    expect(banner).to_contain_text("accès jusqu'au")
    screenshot(page, "1-basket-banner")

    # A SIM card and a basic recharge, paid in cash: 5 € given for 5 €.
    _add(page, "Carte SIM")
    _add(page, "Recharge essentielle")
    payment = page.get_by_role("region", name="Paiement")
    payment.get_by_role("radio", name="Espèces").check()
    payment.get_by_label(field_label("Somme reçue en espèces (€)")).fill("10")
    payment.get_by_role("button", name=re.compile("^Encaisser 5,00 €")).click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile(r"Ticket de vente P19-"))
    ).to_be_visible()
    expect(
        page.get_by_text("Vous économisez 11,00 € par rapport au prix du marché.")
    ).to_be_visible()
    expect(page.get_by_text(re.compile("rendu 5,00 €"))).to_be_visible()
    page.get_by_role("button", name="Montrer les codes secrets").click()
    code = person.connectivity_codes.get(offer=recharge)
    expect(page.get_by_text(secret_of(code.serial))).to_be_visible()
    screenshot(page, "2-receipt-with-code")
    page.goto(page.url.replace("codes/", ""))  # the receipt again: the code is not shown
    expect(page.get_by_text(secret_of(code.serial))).to_have_count(0)

    # Later: the laptop reserved for him, and a data card.
    laptop = reserve(
        acting_user=staff,
        scope=scope_of_user(live_world, "staff_a"),
        device=make_device(live_world, grade="B"),
        beneficiary=person,
    )
    session = CashSession.objects.get(till__name="Caisse 1", status="open")
    page.goto(f"/caisse/sessions/{session.pk}/vente/?q=moussa")
    page.get_by_role("button", name="Commencer le panier").click()
    expect(page.get_by_role("region", name="Peut-elle acheter ?")).to_contain_text(
        "Un appareil l'attend"
    )
    _add(page, f"{laptop.get_kind_display()} {laptop.label}")
    _add(page, "Carte data 8 Go")
    payment = page.get_by_role("region", name="Paiement")
    payment.get_by_role("radio", name="Carte bancaire").check()
    payment.get_by_role("button", name=re.compile("^Encaisser 92,00 €")).click()
    expect(
        page.get_by_text("Vous économisez 262,00 € par rapport au prix du marché.")
    ).to_be_visible()
    screenshot(page, "3-receipt-laptop")

    # The file: the purchasing power injected; milestones equipped and connected.
    page.goto(f"/beneficiaires/{person.public_id}/")
    page.get_by_role("navigation", name="Parties du dossier").get_by_role(
        "link", name="Équipement et connexion"
    ).click()
    section = page.get_by_role("region", name="Achats à la caisse")
    expect(section).to_contain_text("Payé : 97,00 €. Pouvoir d'achat injecté : 273,00 €.")
    expect(section.get_by_test_id("file-milestones")).to_have_text("équipé·e connecté·e")
    screenshot(page, "4-file")

    # The référent sees both milestones on the referral's follow-up.
    log_out(page)
    referent = live_world.users["lead_referent"]
    assert referent is not None
    log_in(page, referent.email)
    page.goto(f"/orientations/suivi/{reference}/")
    expect(page.get_by_text("Équipement obtenu").first).to_be_visible()
    expect(page.get_by_text("Connexion obtenue").first).to_be_visible()
    screenshot(page, "5-referent-milestones")

    # His access has ended: the till refuses a solidarity-price sale, and says why.
    AccessPeriod.objects.filter(beneficiary=person).update(
        ends_on=timezone.localdate() - timedelta(days=1),
        starts_on=timezone.localdate() - timedelta(days=400),
    )
    log_out(page)
    log_in(page, staff.email)
    page.goto(f"/caisse/sessions/{session.pk}/vente/?q=moussa")
    page.get_by_role("button", name="Commencer le panier").click()
    expect(page.get_by_role("region", name="Peut-elle acheter ?")).to_contain_text(
        re.compile(r"Accès terminé le .+, une nouvelle orientation est nécessaire")
    )
    expect(page.get_by_role("region", name="Ajouter")).to_have_count(0)
    screenshot(page, "6-access-ended")
    page.get_by_role("button", name="Abandonner ce panier").click()

    # Closing: 55 € expected in the drawer, 54 € counted, the 1 € difference on the report.
    page.goto(f"/caisse/sessions/{session.pk}/cloturer/")
    page.get_by_label(field_label("Espèces comptées dans le tiroir (€)")).fill("54,00")
    page.get_by_label(field_label("Total carte du terminal (€)")).fill("92,00")
    page.get_by_label(field_label("Commentaire (obligatoire s'il y a un écart)")).fill(
        "une pièce de 1 € introuvable"
    )
    page.get_by_role("button", name="Clôturer").click()
    expect(page.get_by_text("Session clôturée : voici son rapport.")).to_be_visible()
    expect(page.get_by_text("-1,00 €").first).to_be_visible()
    screenshot(page, "7-session-report")
    session.refresh_from_db()
    assert session.difference == Decimal("-1.00")
