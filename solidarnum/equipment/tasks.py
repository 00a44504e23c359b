"""Background work for equipment (Celery; inline when no broker is configured)."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def expire_device_reservations() -> int:
    """Hourly: reservations past their end put the device back on sale."""
    count = services.expire_reservations()
    logger.info("device reservations expired: %s", count)
    return count
