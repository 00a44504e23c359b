"""Browser fixtures: Debian's Chromium driven by Playwright (sync API) against pytest-django's
live server.

Nothing is downloaded: Chromium must already be installed at /usr/bin/chromium, otherwise every
browser test is skipped.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, World

# Playwright's sync API runs an event loop in the test thread; without this, Django refuses ORM
# calls made from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
# Screenshots (gitignored), to look at after a run.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
TIMEOUT_MS = 10_000

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/browser carries the `browser` marker (`-m "not browser"`)."""
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests "
            "never download a browser."
        )
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Factory of fresh, French, logged-out browser contexts (closed after the test).

    `base_url` is the live server, so `page.goto("/lieux/")` works.
    """
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] | None = None, **kwargs: Any) -> BrowserContext:
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            base_url=live_server.url,
            **kwargs,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(DESKTOP).new_page()


@pytest.fixture
def phone_page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(PHONE, is_mobile=True, has_touch=True).new_page()


@pytest.fixture
def live_world(transactional_db: None, live_server: Any, world: World) -> World:
    """The shared `world` of tests/conftest.py, committed so the live server thread sees it.

    `world` asks for `db`; pytest-django gives `transactional_db` precedence when both are
    requested (and whenever `live_server` is used), so the same builder is reused as is.
    """
    return world


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """`screenshot(page, "step")` writes test-results/<test>-<step>.png (full page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(page: Page, step: str) -> Path:
        path = ARTIFACTS / f"{test_name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def field_label(text: str) -> re.Pattern[str]:
    """A label as Django renders it in French: "Nom :" (the suffix may use a no-break space)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*:?\s*$")


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real allauth login page, as a person would."""
    page.goto("/compte/login/")
    page.get_by_label(field_label("Courriel")).fill(email)
    page.get_by_label(field_label("Mot de passe")).fill(password)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation.get_by_role("link", name="Se connecter")).to_be_visible()


def choose_suggestion(page: Page, label: str, typed: str, option: str, *, keyboard: bool = False):
    """Type in an autocomplete field, then pick a suggestion: with a click, or with the arrow keys
    and Enter as a keyboard user does."""
    field = page.get_by_label(field_label(label))
    field.fill(typed)
    suggestion = page.get_by_role("option", name=re.compile(re.escape(option)))
    expect(suggestion.first).to_be_visible()
    if keyboard:
        field.press("ArrowDown")
        expect(field).to_have_attribute("aria-activedescendant", re.compile(".+"))
        field.press("Enter")
    else:
        suggestion.first.click()
    expect(page.get_by_role("listbox")).to_be_hidden()
