"""The inbox's "structure orienteuse" filter: suggestions chosen with the keyboard, their count
said in the field's status line, the list refreshed in place (ADR 0024). Without JavaScript the
typed name is resolved by the field: tests/referrals/inbox/test_views.py."""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import field_label, log_in
from tests.conftest import World
from tests.referrals.factories import make_referral


def _referrals(world: World) -> tuple[str, str]:
    relayed = make_referral(world, partner_structure=world.relay_a, phone="+33644444444")
    direct = make_referral(world)
    return relayed.reference, direct.reference


def test_a_keyboard_user_filters_the_inbox_by_a_suggested_structure(
    live_world: World, page: Page, screenshot: Callable[[Page, str], Any]
) -> None:
    relayed, direct = _referrals(live_world)
    log_in(page, live_world.users["staff_a"].email)
    page.goto("/accueil/orientations/")
    results = page.locator("#results")
    expect(results).to_contain_text(direct)

    field = page.get_by_role("combobox", name=field_label("Structure orienteuse"))
    field.fill(live_world.relay_a.name[:6].lower())
    status = page.locator(f"#{field.get_attribute('id')}-status")
    expect(status).to_have_text(re.compile(r"^1 résultat"))
    expect(status).to_have_attribute("role", "status")  # the same element, announced
    expect(page.get_by_role("option", name=re.compile(live_world.relay_a.name))).to_be_visible()
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-expanded", "true")
    screenshot(page, "suggestions")
    field.press("Enter")

    expect(page).to_have_url(re.compile(rf"partner_structure={live_world.relay_a.pk}"))
    expect(results).to_contain_text(relayed)
    expect(results).not_to_contain_text(direct)
    expect(field).to_have_value(live_world.relay_a.name)
    expect(field).to_be_focused()  # the list refreshed in place, the focus stayed
    # Escape closes the suggestions without choosing.
    field.fill("ccas")
    suggestions = page.get_by_role("listbox", name="Suggestions")
    expect(suggestions.get_by_role("option").first).to_be_visible()
    field.press("Escape")
    expect(suggestions).to_be_hidden()
