"""The public pages in the visitor's language (ADR 0025): the directory on a phone, right to
left in Arabic and Dari, its filters with the keyboard, the choice remembered; a person's
appointment page in Arabic."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import World
from tests.network.factories import PartnerStructureFactory, ReceptionPointFactory
from tests.support.factories import make_appointment, make_person

SMALL = {"width": 320, "height": 640}


def _places(world: World, count: int = 24) -> None:
    """As many places as the demo network has, half reception points, half relays."""
    for index in range(count // 2):
        point = ReceptionPointFactory(name=f"Espace {index:02d}")
        PartnerStructureFactory(name=f"Relais {index:02d}", is_relay=True, reception_point=point)


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{width}px wide"


def test_the_directory_is_short_on_a_phone(
    live_world: World,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[[Page, str], Any],
) -> None:
    _places(live_world)
    page = new_context(SMALL).new_page()

    page.goto("/lieux/")

    expect(page.locator(".place-card")).to_have_count(12)
    height = page.evaluate("document.documentElement.scrollHeight")
    # 24 places were one 16,500 px table; now twelve compact cards a page.
    assert height < 6500, f"{height}px tall"
    _no_sideways_scroll(page)
    screenshot(page, "phone-fr")


def test_the_directory_switches_to_arabic_right_to_left_and_remembers_it(
    live_world: World,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[[Page, str], Any],
) -> None:
    for viewport in (SMALL, {"width": 1280, "height": 900}):
        page = new_context(viewport).new_page()
        page.goto("/lieux/")
        switcher = page.get_by_role("navigation", name="Choisir la langue")
        switcher.get_by_role("link", name="العربيّة").click()

        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        expect(page.get_by_role("heading", level=1)).to_have_text("ابحث عن مكان قريب منك")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        # Mirrored: the first card's heading starts on the right of the card.
        card = page.locator(".place-card").first.bounding_box()
        heading = page.locator(".place-card h2 span").first.bounding_box()
        assert card and heading
        assert (card["x"] + card["width"]) - (heading["x"] + heading["width"]) < 40
        _no_sideways_scroll(page)
        screenshot(page, f"ar-{viewport['width']}")

        page.goto("/lieux/")  # no parameter: the cookie remembers the choice
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        page.goto("/confidentialite/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", level=1)).to_have_text("بياناتك الشخصية")
        _no_sideways_scroll(page)


def test_the_directory_speaks_dari_right_to_left(
    live_world: World, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(SMALL).new_page()
    page.goto("/lieux/?lang=prs")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa-AF")
    _no_sideways_scroll(page)


def test_the_directory_search_works_with_the_keyboard_only(
    live_world: World, new_context: Callable[..., BrowserContext]
) -> None:
    ReceptionPointFactory(name="Espace de Lyon", commune="Lyon", postcode="69003")
    page = new_context(SMALL).new_page()
    page.goto("/lieux/")

    commune = page.get_by_label("Commune")
    commune.focus()
    while commune.input_value() != "Lyon":  # the communes in alphabetical order
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Service")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Chercher", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("1 lieu correspond à votre recherche.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Espace de Lyon")).to_be_visible()
    assert "commune=Lyon" in page.url


def test_a_persons_appointment_page_reads_right_to_left_in_arabic_on_a_phone(
    live_world: World,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[[Page, str], Any],
) -> None:
    """The link of the SMS, opened on a phone: Arabic from the person's file, right to left,
    the place's name and address kept left to right, one large button for the calendar."""
    person = make_person(live_world, languages=["ar"])
    appointment = make_appointment(live_world, person=person, what_to_bring="vos papiers")
    page = new_context(SMALL).new_page()
    page.goto(reverse("support:appointment_public", kwargs={"token": appointment.public_token}))

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text("موعدك")
    button = page.get_by_role("link", name="أضف إلى التقويم")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 200
    address = page.get_by_text("12 rue de Tanger")
    assert address.evaluate("el => getComputedStyle(el).direction") == "ltr"
    _no_sideways_scroll(page)
    screenshot(page, "appointment-ar")
