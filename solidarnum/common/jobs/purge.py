"""The daily housekeeping of background jobs and of the files waiting for a confirmation.

Every import of the product keeps its uploaded file in one folder (import-export's
`MediaStorage`) between "Vérifier" and "Confirmer": the small files of the two-request flow,
under a name held in the session, and the large ones of background jobs. Once a day:
1. `expire_jobs` ends the jobs of every kind left unconfirmed ("expiré") or never finished
   ("échec") for a day, and removes their files;
2. `purge_stale_files` removes the files of that folder older than a day, except those a job
   of any concrete model still needs, whatever their age (a job confirmed late in its day).
The concrete job models are found in the app registry (every model on `BackgroundJob`), so a
new kind of job cannot be forgotten by the purge (ADR 0043).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.checks import Error, register
from django.core.files.storage import default_storage
from django.utils import timezone

from .models import PENDING_JOB_STATES, BackgroundJob, ImportJobState
from .runner import finish, kind_of

logger = logging.getLogger(__name__)

# Where import-export's `MediaStorage` keeps the uploaded files.
PENDING_IMPORT_FOLDER = "django-import-export"


def job_models() -> list[type[BackgroundJob]]:
    """Every concrete background job model of the project."""
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob)]


def expire_jobs(max_age_hours: int = 24, *, models: list[type[BackgroundJob]] | None = None) -> int:
    """End the checked jobs nobody confirmed, and the jobs no worker finished, older than
    `max_age_hours` (all models, or those given); their files go. Returns how many."""
    cutoff = timezone.now() - timedelta(hours=max_age_hours)
    ended = 0
    for model in job_models() if models is None else models:
        kind = kind_of(model)
        if kind is None:  # the system check says so; its files are kept meanwhile
            continue
        stale = model._default_manager.filter(updated_at__lt=cutoff, state__in=PENDING_JOB_STATES)
        for job in stale:
            unconfirmed = job.state == ImportJobState.CHECKED
            finish(
                job,
                ImportJobState.EXPIRED if unconfirmed else ImportJobState.FAILED,
                error_message=str(kind.not_confirmed if unconfirmed else kind.interrupted),
            )
            ended += 1
    return ended


def files_in_use() -> set[str]:
    """The stored files that jobs of any model still need."""
    names: set[str] = set()
    for model in job_models():
        names.update(
            model._default_manager.exclude(storage_name="").values_list("storage_name", flat=True)
        )
    return names


def purge_stale_files(max_age_hours: int = 24) -> int:
    """Remove the uploaded files older than `max_age_hours` that no job needs. Returns how
    many."""
    if not default_storage.exists(PENDING_IMPORT_FOLDER):
        return 0
    cutoff = timezone.now() - timedelta(hours=max_age_hours)
    keep = files_in_use()
    removed = 0
    _dirs, files = default_storage.listdir(PENDING_IMPORT_FOLDER)
    for name in files:
        path = f"{PENDING_IMPORT_FOLDER}/{name}"
        if name not in keep and default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


@register()
def check_every_job_model_has_its_kind(app_configs: Any, **kwargs: Any) -> list[Error]:
    """A job model whose app registers no kind would never expire (its file kept forever)."""
    return [
        Error(
            f"{model._meta.label} is a background job model without a registered kind.",
            hint="Call solidarnum.common.jobs.runner.register(...) from its AppConfig.ready().",
            obj=model,
            id="solidarnum.E101",
        )
        for model in job_models()
        if kind_of(model) is None
    ]
