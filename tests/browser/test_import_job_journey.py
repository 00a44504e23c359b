"""A large device file in Chromium: checked in the background, its page following the progress
(htmx, no inline script), then confirmed and imported (ADR 0018)."""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from solidarnum.equipment.enums import ImportJobState, ImportJobStep
from solidarnum.equipment.models import Device, ImportBatch, ImportJob
from tests.browser.conftest import choose_suggestion, field_label, log_in
from tests.conftest import World
from tests.equipment.factories import make_donation
from tests.equipment.imports.test_views import HEADER, many_rows


def test_a_large_file_is_followed_then_confirmed(
    live_world: World, page: Page, settings: Any, screenshot: Callable[[Page, str], Any]
) -> None:
    settings.EQUIPMENT_IMPORT_BACKGROUND_ROWS = 10
    world = live_world
    donation = make_donation(world)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    log_in(page, "rita.refurb@example.org")

    # A job under way: its page shows the progress, then swaps in the result by itself.
    job = ImportJob.objects.create(
        step=ImportJobStep.CHECK,
        state=ImportJobState.RUNNING,
        donation=donation,
        refurbisher=world.refurbisher,
        created_by=world.users["refurbisher_contact"],
        file_name="en-cours.csv",
        total_rows=400,
        processed_rows=100,
    )
    page.goto(f"/equipement/lots/imports/{job.pk}/")
    expect(page.get_by_label("100 lignes vérifiées sur 400")).to_have_attribute("value", "100")
    screenshot(page, "job-running")
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJobState.REFUSED,
        processed_rows=400,
        invalid_lines=1,
        issues=[{"line": 7, "column": "imei", "message": "Cet IMEI n'est pas valide."}],
    )
    expect(page.get_by_role("heading", name=re.compile("Rien n'a été importé"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^7 imei Cet IMEI"))).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # A file of 30 devices: checked in the background (inline here), confirmed, imported.
    page.goto("/equipement/lots/importer/")
    choose_suggestion(page, "Don concerné", donation.reference, donation.reference)
    page.get_by_label(field_label("Fichier des appareils")).set_input_files(
        files=[
            {
                "name": "gros-lot.csv",
                "mimeType": "text/csv",
                "buffer": "\r\n".join([HEADER, *many_rows(30)]).encode("utf-8"),
            }
        ]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_text(re.compile("30 appareils prêts à être importés"))).to_be_visible()
    assert Device.objects.count() == 0
    page.get_by_role("button", name="Confirmer l'import de 30 appareils").click()
    expect(page.get_by_text(re.compile(r"Lot LOT-.* importé : 30 appareils"))).to_be_visible()
    screenshot(page, "job-imported")
    page.get_by_role("link", name="Voir le lot").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Lot LOT-"))).to_be_visible()
    assert ImportBatch.objects.get().devices.count() == 30
