"""The runner of background import jobs: one mechanism for every app (ADR 0018, ADR 0043).

An app describes one kind of job with a `JobKind`: its concrete model (on `BackgroundJob`), the
Celery task that runs it, and the pieces only it knows: how to read its file, check the rows
(writing nothing) and write them. The runner does the rest, the same for all:
1. `start_job` keeps the uploaded file server-side and queues its check, after the commit;
2. the task calls `run_job`, which claims the job once, checks the file and ends "vérifié" with
   a preview, or "lignes à corriger" with the per-row report; progress is committed as it
   comes (twenty updates per file: the check runs outside any transaction);
3. `confirm_job` queues the import of a checked job, once; `run_job` checks the file again and
   writes it in one transaction with the job's "importé": all rows or none.
Any failure ends the job "échec" with the kind's French message and nothing written. Tasks run
inline when no broker is configured (ADR 0007), so tests and `make run` need no worker. The
daily expiry and the purge of stored files are in `purge`, for every kind at once.

Each app registers its kind from its `AppConfig.ready()` (`register`), so that the daily expiry
knows its messages; a system check fails on a concrete job model without a kind.
"""

from __future__ import annotations

import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import timedelta
from typing import Any, Generic, Protocol, TypeVar

import tablib
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.tmp_storages import MediaStorage

from solidarnum.common.errors import ServiceError

from .models import BackgroundJob, ImportJobState, ImportJobStep

logger = logging.getLogger(__name__)

FILE_GONE = gettext_lazy(
    "Le fichier n'est plus disponible (il est gardé un jour) : rien n'a été importé. "
    "Envoyez-le à nouveau."
)
NOT_CONFIRMED = gettext_lazy(
    "Cet aperçu n'a pas été confirmé dans la journée : rien n'a été importé. Envoyez à "
    "nouveau le fichier."
)

# A running job records its progress every few seconds; silent this long, its worker died.
STALLED_AFTER = timedelta(minutes=10)


class RowIssue(Protocol):
    @property
    def line(self) -> int | None: ...
    @property
    def column(self) -> str: ...
    @property
    def message(self) -> str: ...


class Report(Protocol):
    """What a check returns (an app's own report dataclass): its issues line by line, and the
    first rows (dataclasses) for the preview."""

    @property
    def ok(self) -> bool: ...
    @property
    def invalid_lines(self) -> int: ...
    @property
    def issues(self) -> Sequence[RowIssue]: ...
    @property
    def preview(self) -> Sequence[Any]: ...


class ActingScope(Protocol):
    """The author's scope, as `accounts.scope.resolve_scope` gives it (common cannot import
    accounts): the runner only looks at its membership."""

    @property
    def membership(self) -> Any: ...


J = TypeVar("J", bound=BackgroundJob)
R = TypeVar("R", bound=Report)
S = TypeVar("S", bound=ActingScope)


class JobKind(ABC, Generic[J, R, S]):
    """One kind of background import: the app-specific pieces the runner calls."""

    model: type[J]
    # The Celery task (dotted path, imported when a job is queued) that calls `run_job`.
    task: str
    # The job's foreign key to what the import created (a batch, a delivery).
    result_field: str
    # What the run reads besides the author (`select_related`).
    related: tuple[str, ...] = ()
    # The log line of a failure says this and the job's id, nothing of the file.
    log_label: str
    # The French messages a job ends with.
    technical_failure: Promise | str
    access_changed: Promise | str
    interrupted: Promise | str
    file_gone: Promise | str = FILE_GONE
    not_confirmed: Promise | str = NOT_CONFIRMED

    @abstractmethod
    def resolve_scope(self, user: Any, membership_id: int) -> S:
        """The author's scope with the membership the file was sent with."""

    @abstractmethod
    def read(self, job: J, content: bytes) -> tablib.Dataset:
        """The stored file's rows; raises ServiceError if it cannot be read."""

    @abstractmethod
    def check(
        self,
        job: J,
        *,
        acting_user: Any,
        scope: S,
        dataset: tablib.Dataset,
        progress: Callable[[int, int], None],
    ) -> R:
        """Check every row, writing nothing; `progress(done, total)` a few times."""

    @abstractmethod
    def write(self, job: J, *, acting_user: Any, scope: S, report: R) -> models.Model:
        """Write a checked file, inside the runner's transaction; returns what it created.
        Raises IntegrityError when the database refuses a row (registered in between)."""

    @abstractmethod
    def refused_by_database(self, report: R) -> None:
        """Add to the report the issue that says the database refused the write."""

    def preview_row(self, row: Any) -> dict[str, Any]:
        """A preview row as the job stores it (JSON)."""
        return asdict(row)


_kinds: dict[type[BackgroundJob], JobKind[Any, Any, Any]] = {}


def register(kind: JobKind[Any, Any, Any]) -> None:
    """Register an app's kind (from its `AppConfig.ready()`); once per model."""
    _kinds[kind.model] = kind


def kinds() -> list[JobKind[Any, Any, Any]]:
    return list(_kinds.values())


def kind_of(model: type[BackgroundJob]) -> JobKind[Any, Any, Any] | None:
    return _kinds.get(model)


# --- Start and confirm ---------------------------------------------------------------------------


def _enqueue(kind: JobKind[J, R, S], job: J) -> None:
    task = import_string(kind.task)
    # After the commit, so that the worker finds the job (ADR 0007).
    transaction.on_commit(lambda: task.delay(job.pk))


@transaction.atomic
def start_job(
    kind: JobKind[J, R, S],
    *,
    acting_user: Any,
    membership: Any,
    file_name: str,
    content: bytes,
    row_count: int,
    **fields: Any,
) -> J:
    """Keep the uploaded file server-side and queue its check. `fields` are the concrete
    model's own (the donation, the reception point); the caller has checked the right."""
    storage = MediaStorage()
    storage.save(content)
    job = kind.model._default_manager.create(
        step=ImportJobStep.CHECK,
        created_by=acting_user,
        membership=membership,
        file_name=file_name[:255],
        storage_name=storage.name,
        total_rows=row_count,
        **fields,
    )
    _enqueue(kind, job)
    return job


@transaction.atomic
def confirm_job(kind: JobKind[J, R, S], *, acting_user: Any, job: J) -> J:
    """Queue the import of a checked file. Only a job waiting for its confirmation can be
    confirmed, by its author, once: a second click finds it already queued."""
    job = kind.model._default_manager.select_for_update().get(pk=job.pk)
    if job.created_by_id != acting_user.pk or job.state != ImportJobState.CHECKED:
        raise ServiceError(_("Cet aperçu n'est plus valable : envoyez à nouveau le fichier."))
    job.step = ImportJobStep.IMPORT
    job.state = ImportJobState.QUEUED
    job.processed_rows = 0
    job.save(update_fields=["step", "state", "processed_rows", "updated_at"])
    _enqueue(kind, job)
    return job


# --- The task's work -----------------------------------------------------------------------------


class _Stop(Exception):
    """The job ends here; the message is French and shown on its page."""


def run_job(kind: JobKind[J, R, S], job_id: int) -> str:
    """Check or import the job's file; returns the state it ended in ("" when there was nothing
    to run). Never raises: whatever happens ends in the job's report, nothing half-imported."""
    now = timezone.now()
    # A job left "en cours" by a worker that died (its transaction rolled back) is run again
    # when the broker delivers the message again; one under way records progress constantly.
    claimable = Q(state=ImportJobState.QUEUED) | Q(
        state=ImportJobState.RUNNING, updated_at__lt=now - STALLED_AFTER
    )
    claimed = kind.model._default_manager.filter(claimable, pk=job_id).update(
        state=ImportJobState.RUNNING, started_at=now, updated_at=now, processed_rows=0
    )
    if not claimed:  # already run (a message delivered twice), under way, or expired meanwhile
        return ""
    job = kind.model._default_manager.select_related(*kind.related, "created_by").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _run(kind, job)
        except _Stop as stop:
            setattr(job, kind.result_field, None)
            finish(job, ImportJobState.FAILED, error_message=str(stop))
        except Exception:
            # The job's id only: the file and its rows are the sender's data.
            logger.exception("%s %s failed", kind.log_label, job_id)
            setattr(job, kind.result_field, None)
            finish(job, ImportJobState.FAILED, error_message=str(kind.technical_failure))
    return job.state


def _scope(kind: JobKind[J, R, S], job: J) -> S:
    """The scope the file was sent with, as long as that membership is still active."""
    if job.created_by is None or job.membership_id is None:
        raise _Stop(kind.access_changed)
    scope = kind.resolve_scope(job.created_by, job.membership_id)
    if scope.membership is None or scope.membership.pk != job.membership_id:
        raise _Stop(kind.access_changed)
    return scope


def _run(kind: JobKind[J, R, S], job: J) -> None:
    scope = _scope(kind, job)
    user = job.created_by
    try:
        dataset = kind.read(job, MediaStorage(name=job.storage_name).read())
    except (OSError, ServiceError) as error:
        raise _Stop(kind.file_gone) from error

    def progress(done: int, total: int) -> None:
        kind.model._default_manager.filter(pk=job.pk).update(
            processed_rows=min(done, job.total_rows), updated_at=timezone.now()
        )

    try:
        report = kind.check(job, acting_user=user, scope=scope, dataset=dataset, progress=progress)
    except ServiceError as error:
        raise _Stop(str(error)) from error
    job.processed_rows = min(len(dataset), job.total_rows)
    if not report.ok:
        finish(job, ImportJobState.REFUSED, report=report, preview_row=kind.preview_row)
        return
    if job.step == ImportJobStep.CHECK:
        finish(
            job, ImportJobState.CHECKED, report=report, preview_row=kind.preview_row, keep_file=True
        )
        return
    try:
        # What the import creates and the job's "importé" are committed together, or not at all.
        with transaction.atomic():
            created = kind.write(job, acting_user=user, scope=scope, report=report)
            setattr(job, kind.result_field, created)
            finish(
                job,
                ImportJobState.IMPORTED,
                report=report,
                preview_row=kind.preview_row,
                keep_file=True,
            )
    except IntegrityError:
        setattr(job, kind.result_field, None)
        kind.refused_by_database(report)
        finish(job, ImportJobState.REFUSED, report=report, preview_row=kind.preview_row)
        return
    except ServiceError as error:
        raise _Stop(str(error)) from error
    remove_file(job)
    job.save(update_fields=["storage_name"])


def finish(
    job: BackgroundJob,
    state: ImportJobState,
    *,
    report: Report | None = None,
    preview_row: Callable[[Any], dict[str, Any]] = asdict,
    error_message: str = "",
    keep_file: bool = False,
) -> None:
    """End the job in `state`, with its report; its file goes unless `keep_file`."""
    job.state = state
    job.error_message = error_message[:500]
    job.finished_at = timezone.now()
    if report is not None:
        job.invalid_lines = report.invalid_lines
        job.issues = [
            {"line": issue.line, "column": issue.column, "message": issue.message}
            for issue in report.issues
        ]
        job.preview = [preview_row(row) for row in report.preview]
    if not keep_file:
        remove_file(job)
    job.save()


def remove_file(job: BackgroundJob) -> None:
    if job.storage_name:
        with contextlib.suppress(OSError):  # already gone
            MediaStorage(name=job.storage_name).remove()
        job.storage_name = ""
