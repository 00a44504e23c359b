"""Large device files: checked and imported by a background task, with a progress page and the
same all-or-nothing report as small files (ADR 0018). Tasks run inline here, as without a broker."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from import_export.tmp_storages import MediaStorage

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.equipment.enums import ImportJobState, ImportJobStep, Status
from solidarnum.equipment.imports import jobs as import_jobs
from solidarnum.equipment.imports import services as import_services
from solidarnum.equipment.models import (
    Device,
    DeviceEvent,
    ErasureRecord,
    ImportBatch,
    ImportJob,
)
from solidarnum.equipment.tasks import run_import_job
from solidarnum.privacy.models import AuditAction, AuditEvent
from tests.conftest import client_for, make_user
from tests.equipment.factories import VALID_IMEIS, make_device, make_donation
from tests.equipment.imports.test_views import (
    BAD_IMEI,
    HEADER,
    LAPTOP,
    PHONE,
    _statements,
    csv_upload,
    many_rows,
    nothing_imported,
)


@pytest.fixture(autouse=True)
def background_above_three_rows(settings):
    settings.EQUIPMENT_IMPORT_BACKGROUND_ROWS = 3


@pytest.fixture
def donation(world):
    return make_donation(world)


@pytest.fixture
def workshop(clients):
    return clients["refurbisher_contact"]


@pytest.fixture
def inline(django_capture_on_commit_callbacks):
    """Run what is queued after the commit (the task, inline without a broker)."""

    def run(call):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def send(client, donation, *rows: str, name: str = "gros-lot.csv"):
    return client.post(
        reverse("equipment:batch_import"),
        {"donation": donation.pk, "file": csv_upload(HEADER, *rows, name=name)},
    )


def job_page(job: ImportJob) -> str:
    return reverse("equipment:batch_import_job", kwargs={"pk": job.pk})


def confirm_url(job: ImportJob) -> str:
    return reverse("equipment:batch_import_job_confirm", kwargs={"pk": job.pk})


def five_rows() -> list[str]:
    return many_rows(5)


# --- The journey ---------------------------------------------------------------------------------


def test_a_large_file_is_checked_in_the_background_then_imported(world, workshop, donation, inline):
    response = inline(lambda: send(workshop, donation, *five_rows()))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_page(job)
    assert (job.step, job.state) == (ImportJobStep.CHECK, ImportJobState.CHECKED)
    assert (job.processed_rows, job.total_rows) == (5, 5)
    assert job.created_by == world.users["refurbisher_contact"]
    assert job.refurbisher == world.refurbisher and job.donation == donation
    assert nothing_imported(), "the check writes nothing"
    assert MediaStorage(name=job.storage_name).read().startswith(b"\xef\xbb\xbftype;")
    page = workshop.get(job_page(job))
    html = page.content.decode()
    assert "Le fichier « gros-lot.csv » est correct : 5 appareils prêts" in html
    assert "PF1Q00000" in html and "R58Q00001" in html
    assert "Confirmer l'import de 5 appareils" in html
    assert 'hx-trigger="every' not in html, "a finished job no longer refreshes"

    response = inline(lambda: workshop.post(confirm_url(job)))

    assert response.status_code == 302 and response["Location"] == job_page(job)
    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert (job.step, job.state, job.batch) == (
        ImportJobStep.IMPORT,
        ImportJobState.IMPORTED,
        batch,
    )
    assert (batch.row_count, batch.file_name, batch.donation) == (5, "gros-lot.csv", donation)
    assert batch.imported_by == world.users["refurbisher_contact"]
    assert set(Device.objects.values_list("status", flat=True)) == {Status.RECEIVED}
    assert Device.objects.filter(batch=batch).count() == 5
    assert DeviceEvent.objects.filter(actor=world.users["refurbisher_contact"]).count() == 5
    assert ErasureRecord.objects.count() == 3  # the laptops' erasures
    assert Device.objects.get(serial_number="R58Q00001").imei
    audit = AuditEvent.objects.get(object_type="equipment.importbatch")
    assert audit.action == AuditAction.CREATE and audit.changed_fields == ["devices"]
    assert job.storage_name == ""
    html = workshop.get(job_page(job)).content.decode()
    assert f"Lot {batch.reference} importé : 5 appareils enregistrés" in html
    assert reverse("equipment:batch_detail", kwargs={"pk": batch.pk}) in html


def test_a_small_file_still_goes_through_the_request(workshop, donation, settings):
    settings.EQUIPMENT_IMPORT_BACKGROUND_ROWS = 300
    response = send(workshop, donation, *five_rows())
    assert response.status_code == 200 and "confirm_form" in response.context
    assert not ImportJob.objects.exists()


def test_bad_rows_get_the_same_report_and_nothing_is_imported(workshop, donation, inline):
    bad_phone = PHONE.replace(VALID_IMEIS[0], BAD_IMEI)
    response = inline(
        lambda: send(workshop, donation, LAPTOP, "frigo;;T480;SN9", bad_phone, *many_rows(2, 10))
    )

    job = ImportJob.objects.get()
    assert response["Location"] == job_page(job)
    assert job.state == ImportJobState.REFUSED
    assert job.invalid_lines == 2
    assert [(i["line"], i["column"]) for i in job.issues] == [
        (3, "marque"),
        (3, "type"),
        (4, "imei"),
    ]
    assert nothing_imported()
    assert job.storage_name == "", "a refused file is not kept"
    html = workshop.get(job_page(job)).content.decode()
    assert "Rien n'a été importé : 2 lignes à corriger" in html
    assert "Type d&#x27;appareil inconnu : « frigo »." in html
    assert "IMEI « 490154203237519 »" in html
    assert f"?don={donation.pk}" in html  # back to the form, the donation chosen
    # And no confirmation for a refused file.
    response = workshop.post(confirm_url(job), follow=True)
    assert "Cet aperçu n&#x27;est plus valable" in response.content.decode()
    assert nothing_imported()


def test_the_page_shows_the_progress_and_refreshes_itself_while_the_job_runs(
    world, workshop, donation
):
    job = ImportJob.objects.create(
        step=ImportJobStep.CHECK,
        state=ImportJobState.RUNNING,
        donation=donation,
        refurbisher=world.refurbisher,
        created_by=world.users["refurbisher_contact"],
        file_name="lot.csv",
        total_rows=2000,
        processed_rows=800,
    )
    html = workshop.get(job_page(job)).content.decode()
    assert '<progress id="job-progress" max="2000" value="800">40 %</progress>' in html
    assert "800 lignes vérifiées sur 2000" in html
    assert f'hx-get="{job_page(job)}" hx-trigger="every 2s" hx-select="#job-status"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script (CSP)"
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    # What htmx receives is the whole page; it keeps #job-status.
    swapped = workshop.get(job_page(job), headers={"HX-Request": "true"}).content.decode()
    assert 'id="job-status"' in swapped and "800 lignes vérifiées" in swapped


def test_progress_is_recorded_while_the_rows_are_checked(world, workshop, donation, monkeypatch):
    seen: list[int] = []
    real = import_services.validate_devices

    def spy(**kwargs):  # type: ignore[no-untyped-def]
        progress = kwargs["progress"]

        def recording(done: int, total: int) -> None:
            progress(done, total)
            seen.append(ImportJob.objects.get().processed_rows)

        return real(**{**kwargs, "progress": recording})

    monkeypatch.setattr(import_services, "validate_devices", spy)
    job = import_jobs.start_import_job(
        acting_user=world.users["refurbisher_contact"],
        scope=_scope(world),
        donation=donation,
        file_name="lot.csv",
        content=csv_upload(HEADER, *many_rows(60)).read(),
        row_count=60,
    )
    assert run_import_job(job.pk) == ImportJobState.CHECKED
    assert seen == list(range(3, 61, 3)), "twenty steps, committed as they come"


# --- All or nothing ------------------------------------------------------------------------------


def test_a_failure_while_writing_rolls_everything_back_and_says_so(
    world, workshop, donation, inline, monkeypatch, caplog
):
    inline(lambda: send(workshop, donation, *five_rows()))
    job = ImportJob.objects.get()

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    # The audit line is written last, after the devices, events and erasures.
    monkeypatch.setattr(import_services, "record", broken)
    with caplog.at_level(logging.ERROR):
        inline(lambda: workshop.post(confirm_url(job)))

    job.refresh_from_db()
    assert job.state == ImportJobState.FAILED and job.batch is None
    assert job.error_message == str(import_jobs.TECHNICAL_FAILURE)
    assert nothing_imported()
    assert not AuditEvent.objects.filter(object_type="equipment.importbatch").exists()
    assert f"Device import job {job.pk} failed" in caplog.text
    assert "PF1Q" not in caplog.text, "no row of the file in the logs"
    html = workshop.get(job_page(job)).content.decode()
    assert "rien n&#x27;a été importé" in html
    # Read out by the page's status region after the swap that shows it.
    assert re.search(r'<p class="message message-error" data-announce>[^<]*rien n&#x27;a', html)


def test_a_serial_registered_after_the_check_refuses_the_import(world, workshop, donation, inline):
    inline(lambda: send(workshop, donation, *five_rows()))
    job = ImportJob.objects.get()
    make_device(world, serial_number="PF1Q00002", site=None)
    before = Device.objects.count()

    inline(lambda: workshop.post(confirm_url(job)))

    job.refresh_from_db()
    assert job.state == ImportJobState.REFUSED
    assert (job.issues[0]["line"], job.issues[0]["column"]) == (4, "numero_serie")
    assert "déjà enregistré" in job.issues[0]["message"]
    assert Device.objects.count() == before and not ImportBatch.objects.exists()


def test_the_database_refusing_the_write_refuses_the_import(world, donation, monkeypatch):
    """A serial number committed by another import between the check and the write."""
    job = _checked_job(world, donation, rows=5)
    job.step, job.state = ImportJobStep.IMPORT, ImportJobState.QUEUED
    job.save()
    real = import_services.validate_devices

    def then_someone_else(**kwargs):  # type: ignore[no-untyped-def]
        report = real(**kwargs)
        make_device(world, serial_number="PF1Q00004", site=None)
        return report

    monkeypatch.setattr(import_services, "validate_devices", then_someone_else)
    assert run_import_job(job.pk) == ImportJobState.REFUSED
    job.refresh_from_db()
    assert job.issues == [
        {"line": None, "column": "", "message": str(import_services.RACE_MESSAGE)}
    ]
    assert not ImportBatch.objects.exists() and Device.objects.count() == 1


def test_a_job_runs_once_and_is_confirmed_once(world, workshop, donation, inline):
    inline(lambda: send(workshop, donation, *five_rows()))
    job = ImportJob.objects.get()
    inline(lambda: workshop.post(confirm_url(job)))
    assert run_import_job(job.pk) == "", "a message delivered twice does nothing"
    response = inline(lambda: workshop.post(confirm_url(job), follow=True))
    assert "Cet aperçu n&#x27;est plus valable" in response.content.decode()
    assert ImportBatch.objects.count() == 1 and Device.objects.count() == 5


def test_a_membership_withdrawn_meanwhile_stops_the_job(world, donation):
    job = _checked_job(world, donation, rows=5)
    job.step, job.state = ImportJobStep.IMPORT, ImportJobState.QUEUED
    job.save()
    Membership.objects.filter(pk=job.membership_id).update(is_active=False)
    assert run_import_job(job.pk) == ImportJobState.FAILED
    job.refresh_from_db()
    assert job.error_message == str(import_jobs.ACCESS_CHANGED)
    assert nothing_imported()


def test_a_file_gone_ends_the_job_with_a_clear_message(world, donation):
    job = _checked_job(world, donation, rows=5)
    MediaStorage(name=job.storage_name).remove()
    job.step, job.state = ImportJobStep.IMPORT, ImportJobState.QUEUED
    job.save()
    assert run_import_job(job.pk) == ImportJobState.FAILED
    job.refresh_from_db()
    assert job.error_message.startswith("Le fichier n'est plus disponible")


# --- Who sees a job ------------------------------------------------------------------------------


def test_only_the_person_who_sent_the_file_sees_and_confirms_its_job(
    world, workshop, donation, inline
):
    inline(lambda: send(workshop, donation, *five_rows()))
    job = ImportJob.objects.get()
    colleague = client_for(
        make_user(
            "colin.refurb@example.org", Role.REFURBISHER_CONTACT, refurbisher=world.refurbisher
        )
    )
    for client in (colleague, world_client(world, "admin"), world_client(world, "staff_a")):
        assert client.get(job_page(job)).status_code in (403, 404)
        assert client.post(confirm_url(job)).status_code in (403, 404)
    assert colleague.get(job_page(job)).status_code == 404
    job.refresh_from_db()
    assert job.state == ImportJobState.CHECKED
    assert workshop.get(job_page(job)).status_code == 200


def world_client(world, role):  # type: ignore[no-untyped-def]
    return client_for(world.users[role])


def test_the_batch_list_links_the_callers_open_jobs(world, workshop, donation, inline):
    inline(lambda: send(workshop, donation, *five_rows()))
    job = ImportJob.objects.get()
    html = workshop.get(reverse("equipment:batch_list")).content.decode()
    assert f'href="{job_page(job)}">gros-lot.csv</a> · Vérifié, à confirmer' in html
    assert (
        "gros-lot.csv"
        not in client_for(world.users["admin"])
        .get(reverse("equipment:batch_list"))
        .content.decode()
    )


# --- Speed ---------------------------------------------------------------------------------------


def test_check_and_confirm_jobs_take_the_same_queries_for_50_and_200_rows(
    world, workshop, donation, inline
):
    def queries(count: int, start: int) -> tuple[list[dict], list[dict]]:
        with CaptureQueriesContext(connection) as checked:
            inline(lambda: send(workshop, donation, *many_rows(count, start)))
        job = ImportJob.objects.latest("pk")
        assert job.state == ImportJobState.CHECKED, job.issues[:3]
        with CaptureQueriesContext(connection) as confirmed:
            inline(lambda: workshop.post(confirm_url(job)))
        job.refresh_from_db()
        assert job.state == ImportJobState.IMPORTED
        return checked.captured_queries, confirmed.captured_queries

    few = queries(50, 0)
    many = queries(200, 1000)
    assert Device.objects.count() == 250
    for step_few, step_many in zip(few, many, strict=True):
        assert _statements(step_few) == _statements(step_many)
        if connection.vendor == "postgresql":
            assert len(step_few) == len(step_many)
    # Twenty progress updates whatever the length, two lookups for the whole file.
    check_queries, confirm_queries = many
    updates = [q for q in check_queries if q["sql"].startswith('UPDATE "equipment_importjob"')]
    assert len(updates) == 20 + 2  # progress, "en cours", the end
    assert len([q for q in confirm_queries if 'FROM "equipment_device"' in q["sql"]]) == 2
    assert len(check_queries) < 50 and len(confirm_queries) < 70


# --- Helpers -------------------------------------------------------------------------------------


def _scope(world):  # type: ignore[no-untyped-def]
    from solidarnum.accounts.scope import resolve_scope

    return resolve_scope(world.users["refurbisher_contact"], None)


def _checked_job(world, donation, *, rows: int) -> ImportJob:
    job = import_jobs.start_import_job(
        acting_user=world.users["refurbisher_contact"],
        scope=_scope(world),
        donation=donation,
        file_name="lot.csv",
        content=csv_upload(HEADER, *many_rows(rows)).read(),
        row_count=rows,
    )
    assert run_import_job(job.pk) == ImportJobState.CHECKED
    job.refresh_from_db()
    return job


def test_a_job_left_running_by_a_dead_worker_runs_again_when_redelivered(world, donation):
    job = _checked_job(world, donation, rows=5)
    job.step, job.state = ImportJobStep.IMPORT, ImportJobState.RUNNING
    job.save()
    assert run_import_job(job.pk) == "", "a job under way is not run twice"
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - import_jobs.STALLED_AFTER - timedelta(seconds=1)
    )
    assert run_import_job(job.pk) == ImportJobState.IMPORTED
    assert ImportBatch.objects.get().devices.count() == 5


def test_the_job_page_reads_only_and_its_queries_do_not_grow_with_the_file(
    world, workshop, donation
):
    def page_queries(rows: int) -> int:
        job = _checked_job(world, donation, rows=rows)
        before = ImportJob.objects.values_list("updated_at", "state").get(pk=job.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert workshop.get(job_page(job)).status_code == 200
        assert ImportJob.objects.values_list("updated_at", "state").get(pk=job.pk) == before
        assert not [q for q in ctx.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
        return len(ctx.captured_queries)

    assert page_queries(5) == page_queries(80)
