"""Every working list of the demo fits a 320 px screen (ADR 0024): no page scrolls sideways
because of a list, a list's rows are stacked with their column names, and what still scrolls
(a grid) is a named box reachable with the keyboard."""

import io
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

from solidarnum.accounts.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.equipment.models import Device, ImportBatch, StockCount, Transfer
from tests.browser.conftest import log_in

NARROW = {"width": 320, "height": 640}

# (demo account, URL names or paths): the lists each role works with.
PAGES: dict[str, list[str]] = {
    "responsable.paris19": [
        "referrals:referral_inbox",
        "referrals:referral_inbox?status=all",
        "beneficiaries:beneficiary_list",
        "equipment:stock_overview",
        "equipment:device_list",
        "equipment:transfer_list",
        "equipment:stock_count_list",
        "equipment:price_list",
        "network:partner_list",
        "accounts:team",
        "accounts:my_organisation",
        "volunteers:volunteer_list",
        "volunteers:hours_summary",
        "volunteers:candidate_list",
        "volunteers:training_list",
    ],
    "referent.paris19": ["referrals:referent_referral_list", "api:api_tokens"],
    "conseiller.paris19": [
        "connectivity:stock_overview",
        "connectivity:offer_list",
        "connectivity:code_list",
        "connectivity:delivery_list",
        "connectivity:transfer_list",
        "connectivity:relay_list",
        "connectivity:mediation_list",
        "connectivity:pack_list",
    ],
    "admin": [
        "network:reception_point_list",
        "network:partner_list",
        "network:donor_list",
        "network:refurbisher_list",
        "accounts:user_list",
        "privacy:audit_list",
        "equipment:donation_list",
        "equipment:batch_list",
        "equipment:device_list",
        "equipment:transfer_list",
        "equipment:stock_count_list",
    ],
    "atelier": ["equipment:batch_list", "equipment:transfer_list"],
    "donateur": ["equipment:donation_list", "equipment:donor_report"],
}

# Per page: the page's width, then each list box that does not fit its width (a stacked list
# must not scroll; a grid may, in its named, focusable box).
MEASURE = """() => ({
  width: document.documentElement.scrollWidth,
  lists: [...document.querySelectorAll('.table-wrap')]
    .filter((box) => box.querySelector('table.list-table tbody td[data-label]'))
    .filter((box) => box.scrollWidth > box.clientWidth + 1)
    .map((box) => box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')),
  stacked: [...document.querySelectorAll('table.list-table tbody td[data-label]')].slice(0, 1)
    .map((td) => [getComputedStyle(td).display, getComputedStyle(td, '::before').content]),
})"""


def _url(name: str) -> str:
    name, _, query = name.partition("?")
    return reverse(name) + (f"?{query}" if query else "")


def _detail_pages() -> list[tuple[str, str]]:
    """Pages holding a list of one thing: a device's history, a transfer, a count, a file."""
    pages = []
    device = Device.objects.order_by("pk").first()
    transfer = Transfer.objects.order_by("pk").first()
    count = StockCount.objects.order_by("pk").first()
    batch = ImportBatch.objects.order_by("pk").first()
    person = Beneficiary.objects.filter(reception_point__name__contains="19").first()
    if device:
        pages.append(("admin", reverse("equipment:device_detail", args=[device.pk])))
    if transfer:
        pages.append(("admin", reverse("equipment:transfer_detail", args=[transfer.pk])))
    if count:
        pages.append(("admin", reverse("equipment:stock_count_detail", args=[count.pk])))
    if batch:
        pages.append(("admin", reverse("equipment:batch_detail", args=[batch.pk])))
    if person:
        url = reverse("beneficiaries:beneficiary_detail", args=[person.public_id])
        pages.append(("responsable.paris19", url))  # the file: its tabs wrap at 320 px
        pages.append(("responsable.paris19", url + "?onglet=equipement"))
    return pages


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_list_of_the_demo_fits_320_px(
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[[Page, str], Any],
) -> None:
    call_command("seed_demo", "--force", stdout=io.StringIO())
    pages = [(who, _url(name)) for who, names in PAGES.items() for name in names]
    pages += _detail_pages()
    problems: list[str] = []
    stacked_seen = 0
    for who in dict.fromkeys(who for who, _ in pages):
        page = new_context(NARROW, is_mobile=True, has_touch=True).new_page()
        log_in(page, f"{who}@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD)
        for _, url in (p for p in pages if p[0] == who):
            response = page.goto(url)
            assert response is not None and response.status == 200, (who, url)
            found = page.evaluate(MEASURE)
            if found["width"] > NARROW["width"] or os.environ.get("SCREENSHOTS"):
                screenshot(page, f"{who}-{url}".strip("/").replace("/", "-").replace("?", "-"))
            if found["width"] > NARROW["width"]:
                problems.append(f"{who} {url}: the page is {found['width']} px wide")
            problems.extend(f"{who} {url}: list « {name} » scrolls" for name in found["lists"])
            for display, label in found["stacked"]:
                stacked_seen += 1
                if display == "table-cell" or label in ("none", "normal", ""):
                    problems.append(f"{who} {url}: rows are not stacked with their labels")
    assert stacked_seen >= 20  # the walk met the lists (with rows) it is about
    assert not problems, "\n".join(problems)
