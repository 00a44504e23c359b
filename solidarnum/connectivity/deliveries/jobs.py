"""Large delivery files, checked and imported by a background task (as device batches, ADR 0018).

A file above `settings.CONNECTIVITY_IMPORT_BACKGROUND_ROWS` rows does not wait for the request:
the page keeps it and starts a `DeliveryJob`, then shows the job's progress until its report.
1. `start_delivery_job` (on "Vérifier le fichier"): the job checks the file as the page would,
   and ends "vérifié" with a preview, or "lignes à corriger" with the per-row report;
2. `confirm_delivery_job` (on "Confirmer"): the job checks the file again and writes it in one
   transaction (`services.save_delivery`), ending "importé" with its delivery.
The task is `tasks.run_delivery_job`; it runs inline when no broker is configured, so tests and
`make run` need no worker. A job that fails for any reason writes nothing and ends "échec" with a
French message; `expire_delivery_jobs` (daily) ends the jobs nobody confirmed, or no worker
finished, and removes their files (the uploaded file holds the secret codes in clear).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal

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
from solidarnum.connectivity import permissions
from solidarnum.connectivity.models import DeliveryJob
from solidarnum.equipment.enums import ImportJobState, ImportJobStep
from solidarnum.network.models import ReceptionPoint

from . import services
from .files import read_delivery_file

logger = logging.getLogger(__name__)

TECHNICAL_FAILURE = gettext_lazy(
    "La réception n'a pas pu aboutir à cause d'une erreur technique : rien n'a été importé. "
    "Envoyez à nouveau le fichier ; si cela se reproduit, prévenez l'équipe nationale."
)
FILE_GONE = gettext_lazy(
    "Le fichier n'est plus disponible (il est gardé un jour) : rien n'a été importé. "
    "Envoyez-le à nouveau."
)
ACCESS_CHANGED = gettext_lazy(
    "Votre rattachement au point d'accueil a changé depuis l'envoi du fichier : rien n'a été "
    "importé."
)
INTERRUPTED = gettext_lazy(
    "La réception a été interrompue avant la fin : rien n'a été importé. Envoyez à nouveau le "
    "fichier."
)
NOT_CONFIRMED = gettext_lazy(
    "Cet aperçu n'a pas été confirmé dans la journée : rien n'a été importé. Envoyez à "
    "nouveau le fichier."
)
# A running job records its progress every few seconds; silent this long, its worker died.
STALLED_AFTER = timedelta(minutes=10)


def runs_in_background(row_count: int) -> bool:
    return row_count > settings.CONNECTIVITY_IMPORT_BACKGROUND_ROWS


def _enqueue(job: DeliveryJob) -> None:
    from solidarnum.connectivity.tasks import run_delivery_job

    # After the commit, so that the worker finds the job (ADR 0007).
    transaction.on_commit(lambda: run_delivery_job.delay(job.pk))


@transaction.atomic
def start_delivery_job(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    file_name: str,
    content: bytes,
    row_count: int,
) -> DeliveryJob:
    """Keep the uploaded file server-side and queue its check."""
    if not permissions.is_site_staff_of(scope, reception_point.pk):
        raise ServiceError(_("Seule l'équipe du point d'accueil reçoit ses livraisons."))
    storage = MediaStorage()
    storage.save(content)
    job = DeliveryJob.objects.create(
        step=ImportJobStep.CHECK,
        reception_point=reception_point,
        created_by=acting_user,
        membership=scope.membership,
        file_name=file_name[:255],
        storage_name=storage.name,
        total_rows=row_count,
    )
    _enqueue(job)
    return job


@transaction.atomic
def confirm_delivery_job(*, acting_user: User, scope: Scope, job: DeliveryJob) -> DeliveryJob:
    """Queue the import of a checked file, once: a second click finds it already queued."""
    job = DeliveryJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != acting_user.pk or job.state != ImportJobState.CHECKED:
        raise ServiceError(_("Cet aperçu n'est plus valable : envoyez à nouveau le fichier."))
    job.step = ImportJobStep.IMPORT
    job.state = ImportJobState.QUEUED
    job.processed_rows = 0
    job.save(update_fields=["step", "state", "processed_rows", "updated_at"])
    _enqueue(job)
    return job


class _Stop(Exception):
    """The job ends here; the message is French and shown on its page."""


def run_job(job_id: int) -> str:
    """Check or import the job's file; returns the state it ended in. Never raises: whatever
    happens ends in the job's report, and nothing is half-imported."""
    now = timezone.now()
    claimable = Q(state=ImportJobState.QUEUED) | Q(
        state=ImportJobState.RUNNING, updated_at__lt=now - STALLED_AFTER
    )
    claimed = DeliveryJob.objects.filter(claimable, pk=job_id).update(
        state=ImportJobState.RUNNING, started_at=now, updated_at=now, processed_rows=0
    )
    if not claimed:  # already run (a message delivered twice), under way, or expired meanwhile
        return ""
    job = DeliveryJob.objects.select_related("reception_point", "created_by").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _run(job)
        except _Stop as stop:
            job.delivery = None
            _finish(job, ImportJobState.FAILED, error_message=str(stop))
        except Exception:
            # The job's id only: the file holds secret codes.
            logger.exception("Delivery import job %s failed", job_id)
            job.delivery = None
            _finish(job, ImportJobState.FAILED, error_message=str(TECHNICAL_FAILURE))
    return job.state


def _scope(job: DeliveryJob) -> Scope:
    if job.created_by is None or job.membership_id is None:
        raise _Stop(ACCESS_CHANGED)
    scope = resolve_scope(job.created_by, job.membership_id)
    if scope.membership is None or scope.membership.pk != job.membership_id:
        raise _Stop(ACCESS_CHANGED)
    return scope


def _run(job: DeliveryJob) -> None:
    scope = _scope(job)
    user = job.created_by
    assert user is not None  # _scope stops a job whose author is gone
    try:
        dataset = read_delivery_file(job.file_name, MediaStorage(name=job.storage_name).read())
    except (OSError, ServiceError) as error:
        raise _Stop(FILE_GONE) from error

    def progress(done: int, total: int) -> None:
        DeliveryJob.objects.filter(pk=job.pk).update(
            processed_rows=min(done, job.total_rows), updated_at=timezone.now()
        )

    try:
        report = services.validate_delivery(
            acting_user=user,
            scope=scope,
            reception_point=job.reception_point,
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
        # The codes and the job's "importé" are committed together, or not at all.
        with transaction.atomic():
            job.delivery = services.save_delivery(
                acting_user=user,
                scope=scope,
                reception_point=job.reception_point,
                file_name=job.file_name,
                report=report,
            )
            _finish(job, ImportJobState.IMPORTED, report=report, keep_file=True)
    except IntegrityError:
        job.delivery = None
        report.issues.append(services.RowIssue(None, "", str(services.RACE_MESSAGE)))
        _finish(job, ImportJobState.REFUSED, report=report)
        return
    except ServiceError as error:
        raise _Stop(str(error)) from error
    _remove_file(job)
    job.save(update_fields=["storage_name"])


def _finish(
    job: DeliveryJob,
    state: ImportJobState,
    *,
    report: services.DeliveryReport | None = None,
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
        job.preview = [
            {
                **asdict(row),
                "face_value": _text(row.face_value),
                "expires_on": _text(row.expires_on),
            }
            for row in report.preview
        ]
    if not keep_file:
        _remove_file(job)
    job.save()


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _remove_file(job: DeliveryJob) -> None:
    if job.storage_name:
        with contextlib.suppress(OSError):  # already gone
            MediaStorage(name=job.storage_name).remove()
        job.storage_name = ""


def report_of(job: DeliveryJob) -> services.DeliveryReport:
    """The job's report, in the shape the page's report and preview take."""
    rows = []
    for row in job.preview:
        face, expires = row.get("face_value"), row.get("expires_on")
        rows.append(
            services.PreviewRow(
                **{
                    **row,
                    "face_value": Decimal(face) if face is not None else None,
                    "expires_on": date.fromisoformat(expires) if expires else None,
                }
            )
        )
    return services.DeliveryReport(
        total=job.total_rows,
        issues=[services.RowIssue(**issue) for issue in job.issues],
        preview=rows,
        invalid_lines=job.invalid_lines,
        delivery=job.delivery,
    )


def expire_delivery_jobs(max_age_hours: int = 24) -> int:
    """Daily: end the checked jobs nobody confirmed, and the jobs no worker finished, older than
    `max_age_hours`; their files go. Returns how many."""
    cutoff = timezone.now() - timedelta(hours=max_age_hours)
    ended = 0
    for job in DeliveryJob.objects.filter(
        updated_at__lt=cutoff,
        state__in=[ImportJobState.CHECKED, ImportJobState.QUEUED, ImportJobState.RUNNING],
    ):
        unconfirmed = job.state == ImportJobState.CHECKED
        _finish(
            job,
            ImportJobState.EXPIRED if unconfirmed else ImportJobState.FAILED,
            error_message=str(NOT_CONFIRMED if unconfirmed else INTERRUPTED),
        )
        ended += 1
    return ended
