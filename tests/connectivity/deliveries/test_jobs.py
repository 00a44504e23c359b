"""Large delivery files go through a background job (as device batches, ADR 0018): checked
without writing, previewed, then imported on confirmation, all rows or none, with the per-row
report on the job's page; only the sender sees the job; a day later it expires."""

import logging
import os
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from import_export.tmp_storages import MediaStorage

from solidarnum.common.jobs.purge import expire_jobs
from solidarnum.common.tasks import purge_stale_import_files
from solidarnum.connectivity.enums import OfferKind
from solidarnum.connectivity.models import Code, Delivery, DeliveryJob
from tests.connectivity.factories import make_offer

pytestmark = pytest.mark.django_db

HEAD = "offre;iccid;numero_serie;code_secret;valeur_faciale"


@pytest.fixture(autouse=True)
def background_above_three_rows(settings):
    settings.CONNECTIVITY_IMPORT_BACKGROUND_ROWS = 3


@pytest.fixture
def inline(django_capture_on_commit_callbacks):
    """Run what is queued after the commit (the task, inline without a broker)."""

    def run(call):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def _upload(rows):
    content = "\n".join([HEAD, *rows]).encode()
    return SimpleUploadedFile("grosse-livraison.csv", content, content_type="text/csv")


def _rows(n, first_sim="8933150319000000014"):
    return [f"Carte SIM prépayée;{first_sim};;;"] + [
        f"Recharge essentielle;;RCJOB{i:04d};{55500000000 + i};10" for i in range(n)
    ]


@pytest.fixture
def offers():
    make_offer("Carte SIM prépayée", kind=OfferKind.SIM, solidarity="2", market="10")
    make_offer("Recharge essentielle")


def test_a_large_file_is_checked_then_imported_in_the_background(
    clients, world, offers, inline, caplog
):
    client = clients["staff_a"]
    caplog.set_level(logging.DEBUG)
    sent = inline(
        lambda: client.post(reverse("connectivity:delivery_import"), {"file": _upload(_rows(9))})
    )
    job = DeliveryJob.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("connectivity:delivery_job", kwargs={"pk": job.pk})
    assert job.state == "checked" and job.processed_rows == job.total_rows == 10
    assert not Code.objects.exists()
    page = client.get(sent["Location"]).content.decode()
    assert "10 cartes et codes prêts à entrer en stock" in page
    assert "RCJOB0003" in page and "55500000003" not in page  # serials, never a secret

    confirmed = inline(
        lambda: client.post(reverse("connectivity:delivery_job_confirm", kwargs={"pk": job.pk}))
    )
    assert confirmed.status_code == 302
    job.refresh_from_db()
    delivery = Delivery.objects.get()
    assert (job.state, job.delivery_id, job.storage_name) == ("imported", delivery.pk, "")
    assert Code.objects.filter(delivery=delivery, reception_point=world.site_a).count() == 10
    assert "Livraison " in client.get(sent["Location"]).content.decode()
    # A second confirmation is refused: nothing imported twice.
    again = client.post(reverse("connectivity:delivery_job_confirm", kwargs={"pk": job.pk}))
    assert again.status_code == 302 and Code.objects.count() == 10
    # No secret reached the job's row or the log.
    assert "55500000003" not in str(DeliveryJob.objects.values().get())
    assert "55500000003" not in caplog.text


def test_one_bad_row_imports_nothing_and_the_job_reports_it_line_by_line(clients, offers, inline):
    client = clients["staff_a"]
    sent = inline(
        lambda: client.post(
            reverse("connectivity:delivery_import"),
            {"file": _upload(_rows(9, first_sim="8933150319000000017"))},
        )
    )
    job = DeliveryJob.objects.get()
    assert job.state == "refused" and job.invalid_lines == 1
    assert job.issues[0]["line"] == 2 and "clé de contrôle" in job.issues[0]["message"]
    assert job.storage_name == ""
    page = client.get(sent["Location"]).content.decode()
    assert "Rien n'a été importé : 1 ligne à corriger" in page
    assert not Code.objects.exists()
    confirm = client.post(reverse("connectivity:delivery_job_confirm", kwargs={"pk": job.pk}))
    assert confirm.status_code == 302 and not Code.objects.exists()


def test_a_small_file_keeps_the_two_request_flow(clients, offers):
    response = clients["staff_a"].post(
        reverse("connectivity:delivery_import"), {"file": _upload(_rows(1))}
    )
    assert response.status_code == 200
    assert not DeliveryJob.objects.exists()


def test_an_unconfirmed_job_expires_after_a_day_with_its_file(clients, offers, inline):
    inline(
        lambda: clients["staff_a"].post(
            reverse("connectivity:delivery_import"), {"file": _upload(_rows(5))}
        )
    )
    job = DeliveryJob.objects.get()
    assert job.state == "checked" and job.storage_name
    assert expire_jobs() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert expire_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.storage_name) == ("expired", "")
    assert "pas été confirmé" in job.error_message


def test_the_daily_purge_keeps_the_file_of_a_reception_still_under_way(clients, offers, inline):
    """The daily purge of uploaded files keeps those that a job of any app still needs: this
    reception's file was sent yesterday, and it was confirmed within its day, so it is queued."""
    inline(
        lambda: clients["staff_a"].post(
            reverse("connectivity:delivery_import"), {"file": _upload(_rows(5))}
        )
    )
    job = DeliveryJob.objects.get()
    DeliveryJob.objects.filter(pk=job.pk).update(step="import", state="queued")
    stored = MediaStorage(name=job.storage_name)
    sent_yesterday = time.time() - 30 * 3600
    os.utime(default_storage.path(stored.get_full_path()), (sent_yesterday, sent_yesterday))

    purge_stale_import_files()

    job.refresh_from_db()
    assert job.state == "queued" and job.storage_name
    assert stored.read().startswith(HEAD.encode()), "the file a queued reception needs is kept"
    stored.remove()
