"""Scheduled tasks: expiring codes, and the mediation cases whose next step is due."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from .codes.services import expire_codes as expire
from .mediation.selectors import due_cases

logger = logging.getLogger(__name__)


@shared_task
def expire_codes() -> int:
    return expire()


@shared_task
def list_due_mediation_cases() -> list[int]:
    """The open cases whose next legal step is due today or overdue, by id (the reception
    points read them on their mediation list); their count goes to the log."""
    ids = list(due_cases(timezone.localdate()).values_list("pk", flat=True))
    logger.info("Mediation cases with a step due: %s", len(ids))
    return ids


@shared_task
def run_delivery_job(job_id: int) -> str:
    """A large delivery file, checked or imported in the background (see `deliveries.jobs`)."""
    from .deliveries.jobs import run_job

    return run_job(job_id)


@shared_task
def expire_delivery_jobs(max_age_hours: int = 24) -> int:
    """Daily: end the background receptions nobody confirmed within a day, and their files."""
    from .deliveries.jobs import expire_delivery_jobs as expire_jobs

    count = expire_jobs(max_age_hours)
    logger.info("Delivery jobs expired: %s", count)
    return count
