"""Every page each demo role can reach, checked by axe-core at 1280 px and 320 px (WCAG 2.0, 2.1
and 2.2, levels A and AA), for sideways overflow at 320 px, and for htmx loaded exactly where
it is used. One browser, one context per role; the walk runs once for the module and each test
reads its results. The figures go to test-results/axe-every-page.txt."""

from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from playwright.sync_api import Browser

from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import Appointment
from tests.browser.conftest import ARTIFACTS, DESKTOP, TIMEOUT_MS, log_in
from tests.browser.crawl import (
    NARROW,
    OVERFLOW,
    WIDTHS,
    PageResult,
    check_page,
    crawl,
    summary,
)
from tests.demo import DEMO_PASSWORD, DEMO_ROLES, demo_email, seed_demo

# A short, reasoned allow-list: markup we do not write. (view name, axe rule id) -> why.
ALLOWED: dict[tuple[str, str], str] = {}


def sms_pages() -> list[str]:
    """A person's appointment page, from the demo (the link of their SMS), walked in every
    language through its switcher."""
    found = (
        Appointment.objects.filter(status=AppointmentStatus.UPCOMING).order_by("starts_at").first()
    )
    if found is None:
        return []
    return [reverse("support:appointment_public", kwargs={"token": found.public_token})]


@pytest.fixture(scope="module")
def walk(
    browser: Browser, live_server: Any, django_db_setup: None, django_db_blocker: Any
) -> list[PageResult]:
    """The demo seeded once (committed, for the server thread; the first test's flush removes
    it), then every role's pages checked."""
    results: list[PageResult] = []
    refusals: list[str] = []  # links a role is shown but may not follow (403 or 404)
    with django_db_blocker.unblock():  # for the server thread too
        seed_demo()
        for role, local_part in DEMO_ROLES.items():
            context = browser.new_context(
                viewport=DESKTOP,
                locale="fr-FR",
                timezone_id="Europe/Paris",
                base_url=live_server.url,
            )
            context.set_default_timeout(TIMEOUT_MS)
            if local_part is not None:
                page = context.new_page()
                log_in(page, demo_email(local_part), DEMO_PASSWORD)
                page.close()
            # The visitor reads the public pages in each of their languages, right to left too,
            # and the pages a person opens from an SMS, which no link leads to.
            by_language = local_part is None
            refused: list[str] = []
            results.extend(
                crawl(
                    context,
                    role,
                    live_server.url,
                    by_language=by_language,
                    refused=refused,
                    also=sms_pages() if by_language else (),
                )
            )
            refusals.extend(f"{role} {url}" for url in refused)
            context.close()
    report = (
        summary(results)
        + "\n\n"
        + "\n".join(
            f"{r.role:20} {r.view_name:45} {r.html_bytes:7} B {r.seconds:5.1f} s "
            + " ".join(f"{w}px:{','.join(sorted(r.failures(w))) or 'ok'}" for w in WIDTHS)
            for r in results
        )
    )
    if refusals:
        report += "\n\nLinks answering 403 or 404 to the role shown them:\n" + "\n".join(refusals)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-every-page.txt").write_text(report + "\n")
    print("\n" + summary(results))  # noqa: T201 -- the figure CI shows with -rP or -s
    return results


def _unexpected(result: PageResult, width: int) -> set[str]:
    return {rule for rule in result.failures(width) if (result.view_name, rule) not in ALLOWED}


def test_every_page_of_every_role_passes_axe_at_1280_and_320_px(
    walk: list[PageResult],
) -> None:
    failures = [
        f"{r.role} {r.url} ({r.view_name}) at {width} px: {line}"
        for r in walk
        for width in WIDTHS
        for line in r.violations.get(width, [])
        if line.split(" ", 1)[0] in _unexpected(r, width)
    ]
    assert failures == [], "\n".join(failures)


def test_no_page_is_wider_than_320_px(walk: list[PageResult]) -> None:
    wide = [
        f"{r.role} {r.url} ({r.view_name}): {r.scroll_width_320} px"
        for r in walk
        if OVERFLOW in _unexpected(r, NARROW["width"])
    ]
    assert wide == []


def test_htmx_is_loaded_on_the_pages_that_use_it_and_only_there(walk: list[PageResult]) -> None:
    wrong = [
        f"{r.role} {r.url}: {'hx- attributes without htmx' if r.htmx_used else 'htmx unused'}"
        for r in walk
        if r.htmx_loaded != r.htmx_used
    ]
    assert wrong == []


def test_the_walk_reaches_the_pages_of_every_role(walk: list[PageResult]) -> None:
    pages = {role: [r for r in walk if r.role == role] for role in DEMO_ROLES}
    assert all(len(found) >= 3 for found in pages.values()), {
        role: len(found) for role, found in pages.items()
    }
    assert len(walk) >= 150, summary(walk)


def test_the_checks_catch_what_they_look_for(browser: Browser) -> None:
    """The walk's checks fail on a page built to fail them (a test that can fail)."""
    page = browser.new_page(viewport=DESKTOP)
    page.set_content(
        '<html lang="fr"><body><main><img src="x.png">'
        '<div style="width: 600px">large</div><button hx-get="/">x</button></main></body></html>'
    )
    page.evaluate(AXE_SCRIPT)
    result = check_page(page, "test", "test:bad", "/bad/")
    page.close()
    assert "image-alt" in result.failures(1280)
    assert {"image-alt", OVERFLOW} <= result.failures(320)
    assert result.htmx_used and not result.htmx_loaded
