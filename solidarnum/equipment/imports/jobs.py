"""Large device files, checked and imported by a background task (ADR 0018).

A file above `settings.EQUIPMENT_IMPORT_BACKGROUND_ROWS` rows does not wait for the request: the
page stores it and starts an `ImportJob`, then shows the job's progress until its report.
1. `start_import_job` (on "Vérifier"): the job checks the file, as the page would, and ends
   "vérifié" with a preview, or "lignes à corriger" with the per-row report;
2. `confirm_import_job` (on "Confirmer"): the job checks the file again and writes it in one
   transaction (`services.save_devices`), ending "importé" with its batch.
The task is `tasks.run_import_job`; it runs inline when no broker is configured, so tests and
`make run` need no worker. A job that fails for any reason writes nothing and ends "échec" with
a French message; `expire_import_jobs` (daily) ends the jobs nobody confirmed, or that no worker
ever finished, and removes their files.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.tmp_storages import MediaStorage

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope, resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.equipment import permissions
from solidarnum.equipment.enums import ImportJobState, ImportJobStep
from solidarnum.equipment.models import Donation, ImportJob

from . import services as import_services
from .files import read_device_file

logger = logging.getLogger(__name__)

TECHNICAL_FAILURE = gettext_lazy(
    "L'import n'a pas pu aboutir à cause d'une erreur technique : rien n'a été importé. "
    "Envoyez à nouveau le fichier ; si cela se reproduit, prévenez l'équipe nationale."
)
FILE_GONE = gettext_lazy(
    "Le fichier n'est plus disponible (il est gardé un jour) : rien n'a été importé. "
    "Envoyez-le à nouveau."
)
ACCESS_CHANGED = gettext_lazy(
    "Votre rattachement à l'atelier a changé depuis l'envoi du fichier : rien n'a été importé."
)
INTERRUPTED = gettext_lazy(
    "L'import a été interrompu avant la fin : rien n'a été importé. Envoyez à nouveau le fichier."
)
NOT_CONFIRMED = gettext_lazy(
    "Cet aperçu n'a pas été confirmé dans la journée : rien n'a été importé. Envoyez à "
    "nouveau le fichier."
)


# A running job records its progress every few seconds; silent this long, its worker died.
STALLED_AFTER = timedelta(minutes=10)


def runs_in_background(row_count: int) -> bool:
    return row_count > settings.EQUIPMENT_IMPORT_BACKGROUND_ROWS


def _enqueue(job: ImportJob) -> None:
    from solidarnum.equipment.tasks import run_import_job

    # After the commit, so that the worker finds the job (ADR 0007).
    transaction.on_commit(lambda: run_import_job.delay(job.pk))


@transaction.atomic
def start_import_job(
    *,
    acting_user: User,
    scope: Scope,
    donation: Donation,
    file_name: str,
    content: bytes,
    row_count: int,
) -> ImportJob:
    """Keep the uploaded file server-side and queue its check."""
    if not permissions.can_import_into(scope, donation):
        raise ServiceError(
            _("Vous ne pouvez importer des appareils que pour les dons de votre atelier.")
        )
    storage = MediaStorage()
    storage.save(content)
    job = ImportJob.objects.create(
        step=ImportJobStep.CHECK,
        donation=donation,
        refurbisher_id=donation.refurbisher_id,
        created_by=acting_user,
        membership=scope.membership,
        file_name=file_name[:255],
        storage_name=storage.name,
        total_rows=row_count,
    )
    _enqueue(job)
    return job


@transaction.atomic
def confirm_import_job(*, acting_user: User, scope: Scope, job: ImportJob) -> ImportJob:
    """Queue the import of a checked file. Only a job waiting for its confirmation can be
    confirmed, once: a second click finds it already queued."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != acting_user.pk or job.state != ImportJobState.CHECKED:
        raise ServiceError(_("Cet aperçu n'est plus valable : envoyez à nouveau le fichier."))
    job.step = ImportJobStep.IMPORT
    job.state = ImportJobState.QUEUED
    job.processed_rows = 0
    job.save(update_fields=["step", "state", "processed_rows", "updated_at"])
    _enqueue(job)
    return job


# --- The task's work -----------------------------------------------------------------------------


class _Stop(Exception):
    """The job ends here; the message is French and shown on its page."""


def run_job(job_id: int) -> str:
    """Check or import the job's file; returns the state it ended in. Never raises: whatever
    happens ends in the job's report, and nothing is half-imported."""
    now = timezone.now()
    # A job left "en cours" by a worker that died (its transaction rolled back) is run again
    # when the broker delivers the message again; one under way records progress constantly.
    claimable = Q(state=ImportJobState.QUEUED) | Q(
        state=ImportJobState.RUNNING, updated_at__lt=now - STALLED_AFTER
    )
    claimed = ImportJob.objects.filter(claimable, pk=job_id).update(
        state=ImportJobState.RUNNING, started_at=now, updated_at=now, processed_rows=0
    )
    if not claimed:  # already run (a message delivered twice), under way, or expired meanwhile
        return ""
    job = ImportJob.objects.select_related("donation", "created_by").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _run(job)
        except _Stop as stop:
            job.batch = None
            _finish(job, ImportJobState.FAILED, error_message=str(stop))
        except Exception:
            # The job's id only: the file and its rows are the workshop's data.
            logger.exception("Device import job %s failed", job_id)
            job.batch = None
            _finish(job, ImportJobState.FAILED, error_message=str(TECHNICAL_FAILURE))
    return job.state


def _scope(job: ImportJob) -> Scope:
    """The scope the file was sent with, as long as that membership is still active."""
    if job.created_by is None or job.membership_id is None:
        raise _Stop(ACCESS_CHANGED)
    scope = resolve_scope(job.created_by, job.membership_id)
    if scope.membership is None or scope.membership.pk != job.membership_id:
        raise _Stop(ACCESS_CHANGED)
    return scope


def _run(job: ImportJob) -> None:
    scope = _scope(job)
    user = job.created_by
    assert user is not None  # _scope stops a job whose author is gone
    try:
        content = MediaStorage(name=job.storage_name).read()
        dataset = read_device_file(job.file_name, content)
    except (OSError, ServiceError) as error:
        raise _Stop(FILE_GONE) from error

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=min(done, job.total_rows), updated_at=timezone.now()
        )

    try:
        report = import_services.validate_devices(
            acting_user=user,
            scope=scope,
            donation=job.donation,
            dataset=dataset,
            progress=progress,
        )
    except ServiceError as error:
        raise _Stop(str(error)) from error
    job.processed_rows = min(len(dataset), job.total_rows)
    if not report.ok:
        _finish(job, ImportJobState.REFUSED, report=report)
        return
    if job.step == ImportJobStep.CHECK:
        _finish(job, ImportJobState.CHECKED, report=report, keep_file=True)
        return
    try:
        # The devices and the job's "importé" are committed together, or not at all.
        with transaction.atomic():
            job.batch = import_services.save_devices(
                acting_user=user,
                scope=scope,
                donation=job.donation,
                file_name=job.file_name,
                report=report,
            )
            _finish(job, ImportJobState.IMPORTED, report=report, keep_file=True)
    except IntegrityError:
        job.batch = None
        report.issues.append(import_services.RowIssue(None, "", str(import_services.RACE_MESSAGE)))
        _finish(job, ImportJobState.REFUSED, report=report)
        return
    except ServiceError as error:
        raise _Stop(str(error)) from error
    _remove_file(job)
    job.save(update_fields=["storage_name"])


def _finish(
    job: ImportJob,
    state: ImportJobState,
    *,
    report: import_services.ImportReport | None = None,
    error_message: str = "",
    keep_file: bool = False,
) -> None:
    job.state = state
    job.error_message = error_message[:500]
    job.finished_at = timezone.now()
    if report is not None:
        job.invalid_lines = report.invalid_lines
        job.issues = [
            {"line": issue.line, "column": issue.column, "message": issue.message}
            for issue in report.issues
        ]
        job.preview = [asdict(row) for row in report.preview]
    if not keep_file:
        _remove_file(job)
    job.save()


def _remove_file(job: ImportJob) -> None:
    if job.storage_name:
        with contextlib.suppress(OSError):  # already gone
            MediaStorage(name=job.storage_name).remove()
        job.storage_name = ""


def report_of(job: ImportJob) -> import_services.ImportReport:
    """The job's report, in the shape the page's report and preview take."""
    return import_services.ImportReport(
        total=job.total_rows,
        issues=[import_services.RowIssue(**issue) for issue in job.issues],
        preview=[import_services.PreviewRow(**row) for row in job.preview],
        invalid_lines=job.invalid_lines,
        batch=job.batch,
    )


# --- Housekeeping --------------------------------------------------------------------------------


def expire_import_jobs(max_age_hours: int = 24) -> int:
    """Daily: end the checked jobs nobody confirmed, and the jobs no worker finished, older than
    `max_age_hours`; their files go. Returns how many."""
    cutoff = timezone.now() - timedelta(hours=max_age_hours)
    stale = ImportJob.objects.filter(updated_at__lt=cutoff)
    ended = 0
    for job in stale.filter(
        state__in=[ImportJobState.CHECKED, ImportJobState.QUEUED, ImportJobState.RUNNING]
    ):
        unconfirmed = job.state == ImportJobState.CHECKED
        _finish(
            job,
            ImportJobState.EXPIRED if unconfirmed else ImportJobState.FAILED,
            error_message=str(NOT_CONFIRMED if unconfirmed else INTERRUPTED),
        )
        ended += 1
    return ended


def files_in_use() -> set[str]:
    """The stored files that jobs still need (kept by the daily purge of import files)."""
    return set(ImportJob.objects.exclude(storage_name="").values_list("storage_name", flat=True))
