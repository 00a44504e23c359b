"""The one background-job mechanism (common.jobs, ADR 0043), with a kind made up here: what it
reads, checks and writes is the test's, the run, progress, stop, failure, dispatch, expiry and
purge are the runner's. It runs on a real concrete model (the delivery job) and its table."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import tablib
from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.utils import timezone
from import_export.tmp_storages import MediaStorage

from solidarnum.accounts.models import Membership
from solidarnum.accounts.scope import Scope, resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.common.jobs import purge, runner
from solidarnum.common.jobs.models import BackgroundJob, ImportJobState, ImportJobStep
from solidarnum.common.tasks import purge_stale_import_files
from solidarnum.connectivity.deliveries.jobs import DELIVERY_IMPORTS
from solidarnum.connectivity.models import Delivery, DeliveryJob
from solidarnum.equipment.imports.jobs import DEVICE_IMPORTS
from solidarnum.equipment.models import ImportJob
from tests.equipment.factories import make_donation

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Issue:
    line: int | None
    column: str
    message: str


@dataclass(frozen=True)
class Row:
    line: int
    word: str


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)
    preview: list[Row] = field(default_factory=list)
    invalid_lines: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


class Words(runner.JobKind[DeliveryJob, Report, Scope]):
    """A file of words, one a line; "bad" is a bad line; the import creates a delivery."""

    model = DeliveryJob
    task = "tests.common.test_jobs.run_words"
    result_field = "delivery"
    related = ("reception_point",)
    log_label = "Word job"
    technical_failure = "Panne technique : rien n'a été importé."
    access_changed = "Rattachement changé : rien n'a été importé."
    interrupted = "Interrompu : rien n'a été importé."

    def reset(self) -> None:
        """What a test changes or reads of the kind."""
        self.progress_seen: list[int] = []
        self.on_check: Callable[[], None] = lambda: None
        self.on_write: Callable[[], None] = lambda: None

    def resolve_scope(self, user: Any, membership_id: int) -> Scope:
        return resolve_scope(user, membership_id)

    def read(self, job: DeliveryJob, content: bytes) -> tablib.Dataset:
        if not content.strip():
            raise ServiceError("Fichier vide.")
        return tablib.Dataset(*[(word,) for word in content.decode().split()], headers=["mot"])

    def check(
        self,
        job: DeliveryJob,
        *,
        acting_user: Any,
        scope: Scope,
        dataset: tablib.Dataset,
        progress: Callable[[int, int], None],
    ) -> Report:
        self.on_check()
        report = Report()
        for index, (word,) in enumerate(dataset, start=2):
            progress(index - 1, len(dataset))
            # What the page would read meanwhile: the progress is committed as it comes.
            self.progress_seen.append(DeliveryJob.objects.get(pk=job.pk).processed_rows)
            if word == "bad":
                report.issues.append(Issue(index, "mot", f"Mot refusé ligne {index}."))
                report.invalid_lines += 1
            report.preview.append(Row(index, word))
        return report

    def write(self, job: DeliveryJob, *, acting_user: Any, scope: Scope, report: Report) -> Any:
        delivery = Delivery.objects.create(
            reception_point=job.reception_point,
            file_name=job.file_name,
            row_count=len(report.preview),
            received_by=acting_user,
        )
        self.on_write()
        return delivery

    def refused_by_database(self, report: Report) -> None:
        report.issues.append(Issue(None, "", "Déjà enregistré entre-temps."))


WORDS = Words()


@shared_task
def run_words(job_id: int) -> str:
    return runner.run_job(WORDS, job_id)


@pytest.fixture(autouse=True)
def fresh_kind() -> Words:
    WORDS.reset()
    return WORDS


@pytest.fixture
def author(world):  # type: ignore[no-untyped-def]
    return world.users["staff_a"]


@pytest.fixture
def start(world, author, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Send a file of words for site A; what is queued runs after the commit unless `run` is
    false (inline, as without a broker)."""

    def send(content: bytes = b"un deux trois quatre", *, run: bool = True) -> DeliveryJob:
        with django_capture_on_commit_callbacks(execute=run):
            job = runner.start_job(
                WORDS,
                acting_user=author,
                membership=Membership.objects.get(user=author),
                file_name="mots.txt",
                content=content,
                row_count=len(content.split()),
                reception_point=world.site_a,
            )
        job.refresh_from_db()
        return job

    return send


def queued_for_import(job: DeliveryJob) -> DeliveryJob:
    DeliveryJob.objects.filter(pk=job.pk).update(
        step=ImportJobStep.IMPORT, state=ImportJobState.QUEUED
    )
    job.refresh_from_db()
    return job


def file_exists(name: str) -> bool:
    return default_storage.exists(MediaStorage(name=name).get_full_path())


# --- Dispatch ------------------------------------------------------------------------------------


def test_a_job_is_queued_after_the_commit_and_runs_inline_without_a_broker(start):
    job = start(run=False)
    assert job.state == ImportJobState.QUEUED and job.step == ImportJobStep.CHECK
    assert file_exists(job.storage_name), "the file waits server-side"
    assert runner.run_job(WORDS, job.pk) == ImportJobState.CHECKED  # what the task does
    checked_at_once = start()  # the commit: the task runs inline (no broker in tests, ADR 0007)
    assert checked_at_once.state == ImportJobState.CHECKED
    for made in (job, checked_at_once):
        runner.remove_file(made)


def test_with_a_broker_the_task_is_sent_with_the_jobs_id_after_the_commit(start, monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(run_words, "delay", sent.append)
    before_the_commit = start(run=False)
    assert sent == [], "nothing is sent before the commit"
    job = start()
    assert sent == [job.pk] and job.state == ImportJobState.QUEUED
    for made in (before_the_commit, job):
        runner.remove_file(made)


# --- Check, progress, confirm, import ------------------------------------------------------------


def test_the_check_records_its_progress_then_the_preview_and_keeps_the_file(
    author, start, fresh_kind
):
    job = start()
    assert fresh_kind.progress_seen == [1, 2, 3, 4]
    assert (job.state, job.processed_rows, job.total_rows) == (ImportJobState.CHECKED, 4, 4)
    assert job.preview[0] == {"line": 2, "word": "un"} and job.issues == []
    assert job.started_at and job.finished_at and job.is_finished and job.percent == 100
    assert file_exists(job.storage_name), "kept for the confirmation"

    runner.confirm_job(WORDS, acting_user=author, job=job)
    assert runner.run_job(WORDS, job.pk) == ImportJobState.IMPORTED
    job.refresh_from_db()
    assert job.delivery == Delivery.objects.get() and job.step == ImportJobStep.IMPORT
    assert job.storage_name == "", "the file goes once imported"


def test_a_refused_file_keeps_its_report_line_by_line_and_loses_its_file(author, start):
    job = start(b"un bad deux bad")
    assert job.state == ImportJobState.REFUSED and job.invalid_lines == 2
    assert job.issues[0] == {"line": 3, "column": "mot", "message": "Mot refusé ligne 3."}
    assert job.storage_name == ""
    with pytest.raises(ServiceError, match="plus valable"):
        runner.confirm_job(WORDS, acting_user=author, job=job)


def test_a_job_is_confirmed_once_by_its_author_and_run_once(
    world, author, start, django_capture_on_commit_callbacks
):
    job = start()
    with pytest.raises(ServiceError, match="Cet aperçu n'est plus valable"):
        runner.confirm_job(WORDS, acting_user=world.users["manager_a"], job=job)
    with django_capture_on_commit_callbacks(execute=True):
        runner.confirm_job(WORDS, acting_user=author, job=job)
    with pytest.raises(ServiceError):
        runner.confirm_job(WORDS, acting_user=author, job=job)
    assert runner.run_job(WORDS, job.pk) == "", "a message delivered twice does nothing"
    assert Delivery.objects.count() == 1


# --- Stop and failure ----------------------------------------------------------------------------


def test_a_refusal_while_checking_stops_the_job_with_its_message(start, fresh_kind):
    def refuse() -> None:
        raise ServiceError("Vous ne recevez plus pour ce point d'accueil.")

    fresh_kind.on_check = refuse
    job = start()
    assert job.state == ImportJobState.FAILED
    assert job.error_message == "Vous ne recevez plus pour ce point d'accueil."
    assert job.storage_name == ""


def test_an_unreadable_or_missing_file_ends_the_job_saying_so(start):
    unreadable = start(b"   ")
    assert unreadable.state == ImportJobState.FAILED
    assert unreadable.error_message == str(runner.FILE_GONE)

    gone = start()
    MediaStorage(name=gone.storage_name).remove()
    runner.run_job(WORDS, queued_for_import(gone).pk)
    gone.refresh_from_db()
    assert gone.error_message.startswith("Le fichier n'est plus disponible")


def test_an_unexpected_error_writes_nothing_and_logs_the_jobs_id_only(start, fresh_kind, caplog):
    job = start(b"secret1 secret2")

    def broken() -> None:
        raise RuntimeError("disk full")

    fresh_kind.on_write = broken
    with caplog.at_level(logging.ERROR):
        assert runner.run_job(WORDS, queued_for_import(job).pk) == ImportJobState.FAILED
    job.refresh_from_db()
    assert job.error_message == WORDS.technical_failure and job.delivery is None
    assert not Delivery.objects.exists(), "the write is rolled back"
    assert f"Word job {job.pk} failed" in caplog.text and "secret1" not in caplog.text
    assert job.storage_name == ""


def test_the_database_refusing_the_write_refuses_the_job(start, fresh_kind):
    job = start()

    def someone_else_was_faster() -> None:
        raise IntegrityError("duplicate key")

    fresh_kind.on_write = someone_else_was_faster
    assert runner.run_job(WORDS, queued_for_import(job).pk) == ImportJobState.REFUSED
    job.refresh_from_db()
    assert job.issues == [{"line": None, "column": "", "message": "Déjà enregistré entre-temps."}]
    assert not Delivery.objects.exists() and job.delivery is None


def test_a_membership_withdrawn_meanwhile_stops_the_job(start):
    job = start()
    Membership.objects.filter(pk=job.membership_id).update(is_active=False)
    assert runner.run_job(WORDS, queued_for_import(job).pk) == ImportJobState.FAILED
    job.refresh_from_db()
    assert job.error_message == WORDS.access_changed and not Delivery.objects.exists()


def test_a_job_left_running_by_a_dead_worker_is_claimed_again_later(start):
    job = start()
    DeliveryJob.objects.filter(pk=job.pk).update(
        step=ImportJobStep.IMPORT, state=ImportJobState.RUNNING
    )
    assert runner.run_job(WORDS, job.pk) == "", "a job under way is not run twice"
    DeliveryJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - runner.STALLED_AFTER - timedelta(seconds=1)
    )
    assert runner.run_job(WORDS, job.pk) == ImportJobState.IMPORTED


# --- Expiry and purge, for every kind ------------------------------------------------------------


def _aged(job: BackgroundJob, state: str, *, hours: int) -> None:
    type(job)._default_manager.filter(pk=job.pk).update(
        state=state, updated_at=timezone.now() - timedelta(hours=hours)
    )
    old = time.time() - hours * 3600
    os.utime(default_storage.path(MediaStorage(name=job.storage_name).get_full_path()), (old, old))


def _device_job(world, state: str) -> ImportJob:  # type: ignore[no-untyped-def]
    storage = MediaStorage()
    storage.save(b"type;marque")
    user = world.users["refurbisher_contact"]
    return ImportJob.objects.create(
        step=ImportJobStep.CHECK,
        state=state,
        donation=make_donation(world),
        refurbisher=world.refurbisher,
        created_by=user,
        membership=Membership.objects.get(user=user),
        file_name="lot.csv",
        storage_name=storage.name,
        total_rows=400,
    )


def test_every_kind_expires_with_its_own_messages_in_one_run(world, start):
    reception = start()
    _aged(reception, ImportJobState.RUNNING, hours=30)
    devices = _device_job(world, ImportJobState.CHECKED)
    _aged(devices, ImportJobState.CHECKED, hours=30)
    recent = start()

    assert purge.expire_jobs() == 2

    reception.refresh_from_db()
    devices.refresh_from_db()
    recent.refresh_from_db()
    assert (reception.state, reception.error_message) == (
        ImportJobState.FAILED,
        str(DELIVERY_IMPORTS.interrupted),
    )
    assert (devices.state, devices.error_message) == (
        ImportJobState.EXPIRED,
        str(DEVICE_IMPORTS.not_confirmed),
    )
    assert reception.storage_name == devices.storage_name == ""
    assert recent.state == ImportJobState.CHECKED and file_exists(recent.storage_name)
    runner.remove_file(recent)


def test_the_purge_keeps_the_files_every_kind_of_job_needs_and_removes_the_others(world, start):
    # Both files were sent yesterday; both jobs were confirmed within their day.
    reception = queued_for_import(start())
    devices = _device_job(world, ImportJobState.QUEUED)
    for job in (reception, devices):
        _aged(job, ImportJobState.QUEUED, hours=30)
        type(job)._default_manager.filter(pk=job.pk).update(updated_at=timezone.now())
    orphan = default_storage.save(f"{purge.PENDING_IMPORT_FOLDER}/orphan", ContentFile(b"x"))
    old = time.time() - 30 * 3600
    os.utime(default_storage.path(orphan), (old, old))

    assert purge.files_in_use() >= {reception.storage_name, devices.storage_name}
    assert purge_stale_import_files() >= 1

    assert not default_storage.exists(orphan)
    for job in (reception, devices):
        assert file_exists(job.storage_name)
        runner.remove_file(job)


def test_the_purge_knows_every_concrete_job_model_and_each_has_its_kind():
    models = set(purge.job_models())
    assert {ImportJob, DeliveryJob} <= models
    assert all(runner.kind_of(model) is not None for model in models)
    assert purge.check_every_job_model_has_its_kind(None) == []


def test_the_system_check_names_a_job_model_without_its_kind(monkeypatch):
    monkeypatch.delitem(runner._kinds, DeliveryJob)
    errors = purge.check_every_job_model_has_its_kind(None)
    assert [error.id for error in errors] == ["solidarnum.E101"]
    assert "connectivity.DeliveryJob" in errors[0].msg
    assert purge.expire_jobs(models=[DeliveryJob]) == 0, "no kind, no message: nothing expires"


def test_one_daily_task_expires_and_purges_every_kind_and_every_scheduled_task_exists(settings):
    from config.celery import app

    app.loader.import_default_modules()  # the tasks modules, as a worker finds them
    scheduled = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    purge_task = scheduled["solidarnum.common.tasks.purge_stale_import_files"]
    assert (purge_task.hour, purge_task.minute) == ({4}, {0})
    assert set(scheduled) <= set(app.tasks), "no schedule names a task that is gone"
