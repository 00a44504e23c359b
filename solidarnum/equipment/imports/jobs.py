"""Large device files, checked and imported by a background task (ADR 0018).

A file above `settings.EQUIPMENT_IMPORT_BACKGROUND_ROWS` rows does not wait for the request: the
page stores it and starts an `ImportJob`, then shows the job's progress until its report.
1. `start_import_job` (on "Vérifier"): the job checks the file, as the page would, and ends
   "vérifié" with a preview, or "lignes à corriger" with the per-row report;
2. `confirm_import_job` (on "Confirmer"): the job checks the file again and writes it in one
   transaction (`services.save_devices`), ending "importé" with its batch.
The task is `tasks.run_import_job`. How a job runs, fails, stops and expires is the same for
every background import (`common.jobs`, ADR 0043); this module gives it the device file's
pieces (`DEVICE_IMPORTS`, registered in `EquipmentConfig.ready()`).
"""

from __future__ import annotations

from collections.abc import Callable

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope, resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.common.jobs import runner
from solidarnum.common.jobs.runner import NOT_CONFIRMED as NOT_CONFIRMED
from solidarnum.common.jobs.runner import STALLED_AFTER as STALLED_AFTER
from solidarnum.equipment import permissions
from solidarnum.equipment.models import Donation, ImportBatch, ImportJob

from . import services as import_services
from .files import read_device_file

TECHNICAL_FAILURE = gettext_lazy(
    "L'import n'a pas pu aboutir à cause d'une erreur technique : rien n'a été importé. "
    "Envoyez à nouveau le fichier ; si cela se reproduit, prévenez l'équipe nationale."
)
ACCESS_CHANGED = gettext_lazy(
    "Votre rattachement à l'atelier a changé depuis l'envoi du fichier : rien n'a été importé."
)
INTERRUPTED = gettext_lazy(
    "L'import a été interrompu avant la fin : rien n'a été importé. Envoyez à nouveau le fichier."
)


def runs_in_background(row_count: int) -> bool:
    return row_count > settings.EQUIPMENT_IMPORT_BACKGROUND_ROWS


class DeviceImports(runner.JobKind[ImportJob, import_services.ImportReport, Scope]):
    """A file of devices for one donation; its import creates a batch."""

    model = ImportJob
    task = "solidarnum.equipment.tasks.run_import_job"
    result_field = "batch"
    related = ("donation",)
    log_label = "Device import job"
    technical_failure = TECHNICAL_FAILURE
    access_changed = ACCESS_CHANGED
    interrupted = INTERRUPTED

    def resolve_scope(self, user: User, membership_id: int) -> Scope:
        return resolve_scope(user, membership_id)

    def read(self, job: ImportJob, content: bytes) -> tablib.Dataset:
        return read_device_file(job.file_name, content)

    def check(
        self,
        job: ImportJob,
        *,
        acting_user: User,
        scope: Scope,
        dataset: tablib.Dataset,
        progress: Callable[[int, int], None],
    ) -> import_services.ImportReport:
        return import_services.validate_devices(
            acting_user=acting_user,
            scope=scope,
            donation=job.donation,
            dataset=dataset,
            progress=progress,
        )

    def write(
        self,
        job: ImportJob,
        *,
        acting_user: User,
        scope: Scope,
        report: import_services.ImportReport,
    ) -> ImportBatch:
        return import_services.save_devices(
            acting_user=acting_user,
            scope=scope,
            donation=job.donation,
            file_name=job.file_name,
            report=report,
        )

    def refused_by_database(self, report: import_services.ImportReport) -> None:
        report.issues.append(import_services.RowIssue(None, "", str(import_services.RACE_MESSAGE)))


DEVICE_IMPORTS = DeviceImports()


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
    return runner.start_job(
        DEVICE_IMPORTS,
        acting_user=acting_user,
        membership=scope.membership,
        file_name=file_name,
        content=content,
        row_count=row_count,
        donation=donation,
        refurbisher_id=donation.refurbisher_id,
    )


def confirm_import_job(*, acting_user: User, scope: Scope, job: ImportJob) -> ImportJob:
    """Queue the import of a checked file, once: a second click finds it already queued."""
    return runner.confirm_job(DEVICE_IMPORTS, acting_user=acting_user, job=job)


def run_job(job_id: int) -> str:
    """Check or import the job's file; returns the state it ended in (never raises)."""
    return runner.run_job(DEVICE_IMPORTS, job_id)


def report_of(job: ImportJob) -> import_services.ImportReport:
    """The job's report, in the shape the page's report and preview take."""
    return import_services.ImportReport(
        total=job.total_rows,
        issues=[import_services.RowIssue(**issue) for issue in job.issues],
        preview=[import_services.PreviewRow(**row) for row in job.preview],
        invalid_lines=job.invalid_lines,
        batch=job.batch,
    )
