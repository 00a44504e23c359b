"""End-to-end journeys of the foundation in Chromium: a national admin adds a place, the public
finds it, another site's staff cannot touch it; plus keyboard, small screen and CSP checks."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from solidarnum.network.models import ReceptionPoint
from tests.browser.conftest import field_label, log_in, log_out
from tests.conftest import World

NEW_PLACE = "Espace numérique Paris 14e"
# Chromium words it "... violates the following Content Security Policy directive ..." (older
# versions: "Refused to ...").
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Refused to")

# Records CSP violations as the page sees them (init scripts are injected outside the CSP).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def fill_reception_point(page: Page, postcode: str) -> None:
    def field(label: str) -> Any:
        return page.get_by_label(field_label(label))

    field("Nom").fill(NEW_PLACE)
    field("Adresse").fill("5 rue Froidevaux")
    field("Code postal").fill(postcode)
    field("Commune").fill("Paris")
    field("Code INSEE de la commune").fill("75114")
    field("Latitude").fill("48.8339")
    field("Longitude").fill("2.3318")
    field("Téléphone").fill("01 45 45 45 45")
    field("E-mail").fill("paris14@example.org")
    field("Horaires d'ouverture").fill("Mo-Fr 09:30-12:30,14:00-18:00; Sa 10:00-13:00")
    page.get_by_role("checkbox", name="Aide aux démarches administratives").check()
    page.get_by_role("checkbox", name="Accès internet et matériel informatique").check()
    field("Accessibilité").fill("Accès de plain-pied, boucle magnétique à l'accueil.")
    expect(field("Actif")).to_be_checked()


def test_admin_adds_a_place_the_public_finds_it_and_other_sites_cannot_edit(
    live_world: World,
    page: Page,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[[Page, str], Any],
) -> None:
    # A national admin signs in and opens the reception points from the main navigation.
    log_in(page, live_world.users["admin"].email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Points d'accueil"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Points d'accueil")).to_be_visible()
    page.get_by_role("link", name="Ajouter").click()
    expect(page.get_by_role("heading", level=1, name="Nouveau point d'accueil")).to_be_visible()

    # A 4-digit postcode is refused, in French, next to the field; nothing is saved.
    fill_reception_point(page, postcode="7501")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le code postal doit comporter exactement 5 chiffres")).to_be_visible()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
    postcode = page.get_by_label(field_label("Code postal"))
    expect(postcode).to_have_value("7501")
    expect(postcode).to_have_attribute("aria-invalid", "true")
    expect(postcode).to_have_accessible_description(re.compile("exactement 5 chiffres"))
    expect(page.get_by_label(field_label("Nom"))).to_have_value(NEW_PLACE)
    screenshot(page, "1-form-error")
    assert not ReceptionPoint.objects.filter(name=NEW_PLACE).exists()

    # Fixed, the form saves and lands on the place's page.
    postcode.fill("75014")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1, name=NEW_PLACE)).to_be_visible()
    place = ReceptionPoint.objects.get(name=NEW_PLACE)
    expect(page).to_have_url(re.compile(rf"/reseau/points-accueil/{place.pk}/$"))
    expect(page.get_by_text("Les informations ont été enregistrées.")).to_be_visible()
    assert place.postcode == "75014"
    assert place.is_active
    assert sorted(place.services) == [
        "Accès internet et matériel informatique",
        "Aide aux démarches administratives",
    ]
    screenshot(page, "2-detail")

    # Logged out, in a fresh browser: the public directory lists it, the filters find it.
    public = new_context().new_page()
    public.goto("/lieux/")
    expect(public.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    expect(public.get_by_role("heading", level=2, name=NEW_PLACE)).to_be_visible()
    public.get_by_label("Commune").select_option("Paris")
    public.get_by_label("Service").select_option(label="Aide pour les démarches en ligne")
    public.get_by_role("button", name="Chercher", exact=True).click()
    expect(public.get_by_text("1 lieu correspond à votre recherche.")).to_be_visible()
    card = public.locator(".place-card").filter(has_text=NEW_PLACE)
    expect(card).to_contain_text("5 rue Froidevaux")
    card.get_by_text("Services et accès").click()
    expect(card.get_by_text("Aide pour les démarches en ligne")).to_be_visible()
    screenshot(public, "3-directory")

    # ...and so does the open-data CSV.
    csv = public.request.get("/opendata/lieux-de-mediation-numerique.csv")
    assert csv.status == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert NEW_PLACE in csv.text()

    # Staff of Créteil cannot reach the edit form of Paris 19e: a French 404, not a 403.
    log_out(page)
    log_in(page, live_world.users["staff_b"].email)
    response = page.goto(f"/reseau/points-accueil/{live_world.site_a.pk}/modifier/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page introuvable")).to_be_visible()
    expect(page).to_have_title(re.compile("Page introuvable"))
    screenshot(page, "4-not-found")


@pytest.mark.parametrize("path", ["/compte/login/", "/lieux/"])
def test_small_screen_keyboard_first_skip_link(
    path: str,
    live_world: World,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[[Page, str], Any],
) -> None:
    page = new_context({"width": 320, "height": 640}).new_page()
    page.goto(path)
    skip = page.get_by_role("link", name="Aller au contenu")
    # Hidden off-screen until focused (this also proves the stylesheet was served).
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 320
    screenshot(page, "skip-link")

    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320 + 1, f"horizontal scroll at 320px on {path}: {scroll_width}px"


def test_content_security_policy_holds_without_violations(live_world: World, page: Page) -> None:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if any(marker in message.text for marker in CSP_MARKERS):
            problems.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.add_init_script(CSP_RECORDER)

    response = page.goto("/compte/login/")
    assert response is not None
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    expect(page.get_by_role("button", name="Connexion")).to_be_visible()
    violations = page.evaluate("window.__cspViolations")

    log_in(page, live_world.users["admin"].email)
    # A list filtered in place: htmx is loaded there (only where it is used).
    response = page.goto("/reseau/points-accueil/")
    assert response is not None
    assert response.headers.get("content-security-policy")
    expect(page.get_by_role("heading", level=1, name="Points d'accueil")).to_be_visible()
    # The scripts ran (htmx is loaded): external scripts are allowed by 'self'.
    page.wait_for_function("document.readyState === 'complete' && window.htmx !== undefined")
    violations += page.evaluate("window.__cspViolations")

    assert violations == []
    assert problems == []
