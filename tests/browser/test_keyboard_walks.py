"""The main journeys with the keyboard only (Tab, Shift+Tab, Enter, Space, arrow keys and
typing; no click, no `fill`): log in, write a referral (référent), validate it (staff), check a
device (volunteer), search the public directory. Each step also proves that the focus lands
where the person expects it."""

import re

from playwright.sync_api import Locator, Page, expect

from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device
from solidarnum.referrals.models import Referral
from tests.browser.conftest import field_label
from tests.conftest import PASSWORD, World
from tests.equipment.factories import make_device

MAX_TABS = 80


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, locator: Locator, *, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab backwards) until `locator` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if is_focused(locator):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {locator}")


def type_into(page: Page, locator: Locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.type(text)


def choose(page: Page, select: Locator, label: str) -> None:
    """A closed select: arrow keys move the choice (nothing is submitted)."""
    tab_to(page, select)
    for _ in range(MAX_TABS):
        if select.evaluate("s => s.options[s.selectedIndex].text.trim()") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {label!r} in {select}")


def tick(page: Page, checkbox: Locator) -> None:
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()


def activate(page: Page, locator: Locator) -> None:
    tab_to(page, locator)
    page.keyboard.press("Enter")


def nav_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name=name
    )


def keyboard_log_in(page: Page, email: str) -> None:
    page.goto("/")
    activate(page, nav_link(page, "Se connecter"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    type_into(page, page.get_by_label(field_label("Courriel")), email)
    type_into(page, page.get_by_label(field_label("Mot de passe")), PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def keyboard_log_out(page: Page) -> None:
    """From the page's content, back up to the header's button (Shift+Tab)."""
    page.keyboard.press("Tab")
    tab_to(page, page.get_by_role("button", name="Se déconnecter"), backwards=True)
    page.keyboard.press("Enter")
    expect(nav_link(page, "Se connecter")).to_be_visible()


def test_log_in_write_a_referral_and_validate_it_with_the_keyboard(
    live_world: World, page: Page
) -> None:
    referent, staff = live_world.users["lead_referent"], live_world.users["staff_a"]
    assert referent is not None and staff is not None

    # The référent logs in and writes a bon d'orientation.
    keyboard_log_in(page, referent.email)
    activate(page, nav_link(page, "Nouveau bon d'orientation"))
    expect(page.get_by_role("heading", level=1, name="Nouveau bon d'orientation")).to_be_visible()
    type_into(page, page.get_by_label(field_label("Prénom")), "Mariam")
    type_into(page, page.get_by_label(field_label("Nom")), "Koné")
    # A typo noticed in the first name: back with Shift+Tab, erase, type again.
    first_name = page.get_by_label(field_label("Prénom"))
    tab_to(page, first_name, backwards=True)
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    page.keyboard.type("m")
    expect(first_name).to_have_value("Mariam")
    type_into(page, page.get_by_label(field_label("Année de naissance")), "1979")
    type_into(page, page.get_by_label(field_label("Téléphone")), "06 12 34 56 78")
    choose(page, page.get_by_label(field_label("Logement")), "Hébergé·e")
    tick(
        page,
        page.get_by_role("group", name=field_label("Public")).get_by_role(
            "checkbox", name="Demandeur·se d'emploi"
        ),
    )
    tick(page, page.get_by_role("checkbox", name=re.compile("^Équiper")))
    type_into(
        page,
        page.get_by_label(field_label("Pourquoi orientez-vous cette personne ?")),
        "Doit postuler en ligne.",
    )
    tick(
        page,
        page.get_by_role(
            "checkbox", name=re.compile("La personne a été informée de l'utilisation")
        ),
    )
    activate(page, page.get_by_role("button", name="Enregistrer le bon d'orientation"))
    expect(page).to_have_url(re.compile(r"/orientations/suivi/[0-9A-Z]{6}/$"))
    referral = Referral.objects.get(last_name="Koné")
    assert referral.first_name == "Mariam" and referral.housing == "sheltered"
    keyboard_log_out(page)

    # Staff find it in the inbox by its code and validate it.
    keyboard_log_in(page, staff.email)
    activate(page, nav_link(page, "Orientations reçues"))
    search = page.get_by_role("searchbox", name=field_label("Code, nom ou téléphone"))
    type_into(page, search, referral.reference)
    page.keyboard.press("Enter")
    expect(page.locator("#status-region")).to_have_text("1 résultat.")
    activate(page, page.locator("#results").get_by_role("link", name=referral.reference))
    activate(page, page.get_by_role("link", name="Valider", exact=True))
    new_file = page.get_by_role("radio", name="Créer un nouveau dossier")
    tab_to(page, new_file)
    page.keyboard.press("Space")
    expect(new_file).to_be_checked()
    page.keyboard.press("Tab")
    tab_to(page, page.get_by_role("button", name="Valider l'orientation"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Mariam Koné")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == "validated"


def test_a_volunteer_checks_a_device_with_the_keyboard(live_world: World, page: Page) -> None:
    make_device(live_world, status=Status.TO_CHECK, serial_number="PF1KEYS01", battery_health=88)
    keyboard_log_in(page, live_world.users["volunteer_a"].email)
    activate(page, nav_link(page, "Contrôler un appareil"))
    type_into(page, page.get_by_label(field_label("Numéro de série ou IMEI")), "pf1keys01")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=re.compile("^Contrôle ·"))).to_be_visible()

    activate(page, page.get_by_role("button", name="Tout est OK"))
    # One answer changed, then changed back, with the arrow keys of its group.
    first_group = page.locator("fieldset.check-point").first
    first_ok = first_group.get_by_role("radio", name="OK", exact=True)
    tab_to(page, first_ok)
    page.keyboard.press("ArrowRight")
    expect(first_ok).not_to_be_checked()
    page.keyboard.press("ArrowLeft")
    expect(first_ok).to_be_checked()
    battery = page.get_by_label(field_label("Santé de la batterie mesurée (%)"))
    type_into(page, battery, "85")
    activate(page, page.get_by_role("button", name="Enregistrer le contrôle"))
    expect(page.get_by_text(re.compile("Contrôle réussi"))).to_be_visible()
    assert Device.objects.get(serial_number="PF1KEYS01").status == Status.AVAILABLE


def test_search_the_public_directory_with_the_keyboard(live_world: World, page: Page) -> None:
    page.goto("/")
    activate(page, nav_link(page, "Trouver un lieu"))
    choose(page, page.get_by_label("Commune", exact=True), "Créteil")
    activate(page, page.get_by_role("button", name="Chercher"))
    expect(page).to_have_url(re.compile(r"[?&]commune=Cr"))
    expect(page.get_by_text("1 lieu correspond à votre recherche.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("94000 Créteil")
    expect(page.locator("main")).not_to_contain_text("Paris 19e")
    # Back to every place, from the link next to the button (Shift+Tab from the list).
    page.keyboard.press("Tab")
    tab_to(page, page.get_by_role("link", name="Voir tous les lieux"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Commune", exact=True)).to_have_value("")
