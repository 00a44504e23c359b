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


@shared_task
def run_import_job(job_id: int) -> str:
    """A large device file, checked or imported in the background (see `imports.jobs`)."""
    from .imports.jobs import run_job

    return run_job(job_id)
