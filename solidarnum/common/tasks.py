"""Background work of common (Celery; inline when no broker is configured)."""

import logging

from celery import shared_task

from .jobs import purge

logger = logging.getLogger(__name__)


@shared_task
def purge_stale_import_files(max_age_hours: int = 24) -> int:
    """Daily: end the background jobs of every kind left unconfirmed (or never finished) that
    long, with their files; then delete the uploaded files nobody confirmed. The files of the
    jobs still under way are kept whatever their age. Returns how many files went."""
    expired = purge.expire_jobs(max_age_hours)
    logger.info("import jobs expired: %s", expired)
    removed = purge.purge_stale_files(max_age_hours)
    logger.info("stale import files removed: %s", removed)
    return removed
