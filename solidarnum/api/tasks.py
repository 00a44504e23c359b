"""Background work for the API (Celery; inline when no broker is configured)."""

import logging

from celery import shared_task

from . import idempotency

logger = logging.getLogger(__name__)


@shared_task
def purge_idempotency_keys() -> int:
    """Hourly: forget the idempotency keys (and the answers they hold) after 24 hours."""
    count = idempotency.purge_expired()
    logger.info("idempotency keys purged: %s", count)
    return count
