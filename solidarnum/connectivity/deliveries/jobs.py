"""Large delivery files, checked and imported by a background task (as device batches, ADR 0018).

A file above `settings.CONNECTIVITY_IMPORT_BACKGROUND_ROWS` rows does not wait for the request:
the page keeps it and starts a `DeliveryJob`, then shows the job's progress until its report.
1. `start_delivery_job` (on "Vérifier le fichier"): the job checks the file as the page would,
   and ends "vérifié" with a preview, or "lignes à corriger" with the per-row report;
2. `confirm_delivery_job` (on "Confirmer"): the job checks the file again and writes it in one
   transaction (`services.save_delivery`), ending "importé" with its delivery.
The task is `tasks.run_delivery_job`. How a job runs, fails, stops and expires is the same for
every background import (`common.jobs`, ADR 0043): the daily purge removes the files of the
jobs nobody confirmed (the uploaded file holds the secret codes in clear). This module gives it
the delivery file's pieces (`DELIVERY_IMPORTS`, registered in `ConnectivityConfig.ready()`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope, resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.common.jobs import runner
from solidarnum.connectivity import permissions
from solidarnum.connectivity.models import Delivery, DeliveryJob
from solidarnum.network.models import ReceptionPoint

from . import services
from .files import read_delivery_file

TECHNICAL_FAILURE = gettext_lazy(
    "La réception n'a pas pu aboutir à cause d'une erreur technique : rien n'a été importé. "
    "Envoyez à nouveau le fichier ; si cela se reproduit, prévenez l'équipe nationale."
)
ACCESS_CHANGED = gettext_lazy(
    "Votre rattachement au point d'accueil a changé depuis l'envoi du fichier : rien n'a été "
    "importé."
)
INTERRUPTED = gettext_lazy(
    "La réception a été interrompue avant la fin : rien n'a été importé. Envoyez à nouveau le "
    "fichier."
)


def runs_in_background(row_count: int) -> bool:
    return row_count > settings.CONNECTIVITY_IMPORT_BACKGROUND_ROWS


class DeliveryImports(runner.JobKind[DeliveryJob, services.DeliveryReport, Scope]):
    """An operator's delivery for one reception point; its import creates a delivery."""

    model = DeliveryJob
    task = "solidarnum.connectivity.tasks.run_delivery_job"
    result_field = "delivery"
    related = ("reception_point",)
    # The job's id only in the log: the file holds secret codes.
    log_label = "Delivery import job"
    technical_failure = TECHNICAL_FAILURE
    access_changed = ACCESS_CHANGED
    interrupted = INTERRUPTED

    def resolve_scope(self, user: User, membership_id: int) -> Scope:
        return resolve_scope(user, membership_id)

    def read(self, job: DeliveryJob, content: bytes) -> tablib.Dataset:
        return read_delivery_file(job.file_name, content)

    def check(
        self,
        job: DeliveryJob,
        *,
        acting_user: User,
        scope: Scope,
        dataset: tablib.Dataset,
        progress: Callable[[int, int], None],
    ) -> services.DeliveryReport:
        return services.validate_delivery(
            acting_user=acting_user,
            scope=scope,
            reception_point=job.reception_point,
            dataset=dataset,
            progress=progress,
        )

    def write(
        self,
        job: DeliveryJob,
        *,
        acting_user: User,
        scope: Scope,
        report: services.DeliveryReport,
    ) -> Delivery:
        return services.save_delivery(
            acting_user=acting_user,
            scope=scope,
            reception_point=job.reception_point,
            file_name=job.file_name,
            report=report,
        )

    def refused_by_database(self, report: services.DeliveryReport) -> None:
        report.issues.append(services.RowIssue(None, "", str(services.RACE_MESSAGE)))

    def preview_row(self, row: Any) -> dict[str, Any]:
        # A face value and an expiry date are kept as text in the job's JSON.
        return {
            **asdict(row),
            "face_value": _text(row.face_value),
            "expires_on": _text(row.expires_on),
        }


DELIVERY_IMPORTS = DeliveryImports()


def _text(value: object) -> str | None:
    return None if value is None else str(value)


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
    return runner.start_job(
        DELIVERY_IMPORTS,
        acting_user=acting_user,
        membership=scope.membership,
        file_name=file_name,
        content=content,
        row_count=row_count,
        reception_point=reception_point,
    )


def confirm_delivery_job(*, acting_user: User, scope: Scope, job: DeliveryJob) -> DeliveryJob:
    """Queue the import of a checked file, once: a second click finds it already queued."""
    return runner.confirm_job(DELIVERY_IMPORTS, acting_user=acting_user, job=job)


def run_job(job_id: int) -> str:
    """Check or import the job's file; returns the state it ended in (never raises)."""
    return runner.run_job(DELIVERY_IMPORTS, job_id)


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
