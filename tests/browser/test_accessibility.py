"""What axe cannot see (ADR 0027): the role switcher changes role only on request; htmx results
are read out by the page's one status region; the focus outline shows on every field, date
inputs included."""

import re

from playwright.sync_api import Page, expect

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from tests.browser.conftest import field_label, log_in
from tests.conftest import World
from tests.equipment.factories import make_device
from tests.equipment.logistics.matrix import stock_count_a
from tests.referrals.factories import make_referral

FOCUS_COLOUR = "rgb(179, 89, 0)"  # --focus-color, #b35900

# Counts what the page does with its forms, without letting a submission leave the page.
SUBMISSION_RECORDER = """() => {
  window.__submits = 0;
  window.__changes = 0;
  HTMLFormElement.prototype.submit = function () { window.__submits += 1; };
  HTMLFormElement.prototype.requestSubmit = function () { window.__submits += 1; };
  document.addEventListener("submit", (e) => { window.__submits += 1; e.preventDefault(); }, true);
  document.addEventListener("change", () => { window.__changes += 1; }, true);
}"""


def tab_to(page: Page, locator, limit: int = 60) -> None:
    """Press Tab until `locator` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} never got the focus")


def test_arrow_keys_in_the_role_switcher_do_not_switch_role(live_world: World, page: Page):
    staff = live_world.users["staff_a"]
    assert staff is not None
    volunteering = Membership.objects.create(
        user=staff, role=Role.VOLUNTEER, reception_point=live_world.site_b
    )
    log_in(page, staff.email)
    switcher = page.get_by_label("Rôle actif")
    expect(switcher).to_be_visible()
    page.evaluate(SUBMISSION_RECORDER)
    tab_to(page, switcher)

    page.keyboard.press("ArrowDown")
    # The choice moved (a change event fired), but nothing was submitted: no reload.
    expect(switcher).to_have_value(str(volunteering.pk))
    assert page.evaluate("[window.__changes, window.__submits]") == [1, 0]

    # The button does it: Tab, then Enter.
    page.reload()
    switcher = page.get_by_label("Rôle actif")
    tab_to(page, switcher)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Changer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Rôle actif")).to_have_value(str(volunteering.pk))
    expect(page.get_by_role("link", name="Orientations reçues")).to_have_count(0)


def test_filtered_results_are_read_out_by_the_persistent_status_region(
    live_world: World, page: Page
):
    for first_name in ("Awa", "Mariam", "Fatou"):
        make_referral(live_world, first_name=first_name)
    log_in(page, live_world.users["staff_a"].email)
    page.goto("/accueil/orientations/")
    region = page.locator("#status-region")
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_text("")
    expect(page.locator("#results .result-count")).to_have_text("3 résultats.")
    # The region is the one of the first page: the swap must not replace it.
    page.evaluate("document.getElementById('status-region').dataset.first = 'yes'")

    search = page.get_by_role("searchbox", name=field_label("Code, nom ou téléphone"))
    search.fill("Mariam")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=Mariam"))
    expect(region).to_have_text("1 résultat.")
    expect(region).to_have_attribute("data-first", "yes")
    expect(page.locator("#results")).not_to_have_attribute("aria-live", re.compile(".*"))

    search.fill("Personne")
    search.press("Enter")
    expect(region).to_have_text("Aucun résultat.")


def test_the_stock_count_scanner_answer_is_read_out(live_world: World, page: Page):
    device = make_device(live_world)  # on site A's shelf: expected by the count
    count = stock_count_a(live_world)
    log_in(page, live_world.users["staff_a"].email)
    page.goto(f"/equipement/inventaires/{count.pk}/")
    region = page.locator("#status-region")
    scanner = page.get_by_label(re.compile("Numéro"))
    expect(scanner).to_be_focused()
    scanner.fill(device.serial_number)
    scanner.press("Enter")
    expect(region).to_contain_text("Déjà scannés : 1")
    expect(page.locator("#scan-zone [aria-live], #scan-zone [role=status]")).to_have_count(0)
    expect(page.get_by_label(re.compile("Numéro"))).to_be_focused()


def test_every_field_shows_the_focus_outline_date_inputs_included(live_world: World, page: Page):
    log_in(page, live_world.users["staff_a"].email)
    page.goto("/accueil/orientations/")
    for label in ("Code, nom ou téléphone", "Statut", "Reçues depuis le"):
        field = page.get_by_label(field_label(label))
        tab_to(page, field)
        expect(field).to_have_css("outline-style", "solid")
        expect(field).to_have_css("outline-color", FOCUS_COLOUR)
        expect(field).to_have_css("outline-width", "3px")
    # A link, and a button.
    for target in (
        page.get_by_role("link", name="Accueil"),
        page.get_by_role("button", name="Filtrer"),
    ):
        tab_to(page, target)
        expect(target).to_have_css("outline-color", FOCUS_COLOUR)
