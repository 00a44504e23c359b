"""Background work for equipment (Celery; inline when no broker is configured)."""

import logging

from celery import shared_task

from .reservations import services

logger = logging.getLogger(__name__)


@shared_task
def expire_device_reservations() -> int:
    """Hourly: reservations past their end put the device back on sale."""
    count = services.expire_reservations()
    logger.info("device reservations expired: %s", count)
    return count


# Where the import keeps an uploaded file between "Vérifier" and "Confirmer".
PENDING_IMPORT_FOLDER = "django-import-export"


@shared_task
def run_import_job(job_id: int) -> str:
    """A large device file, checked or imported in the background (see `imports.jobs`)."""
    from .imports.jobs import run_job

    return run_job(job_id)


@shared_task
def purge_stale_import_files(max_age_hours: int = 24) -> int:
    """Daily: delete uploaded device files whose import was checked but never confirmed.

    Background jobs left unconfirmed (or never finished) that long are ended first, with their
    files; the files of the jobs still under way are kept whatever their age."""
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from .imports.jobs import expire_import_jobs, files_in_use

    expired = expire_import_jobs(max_age_hours)
    logger.info("import jobs expired: %s", expired)
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
    logger.info("stale import files removed: %s", removed)
    return removed
