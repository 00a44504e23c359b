"""Scheduled tasks: expiring codes, and the mediation cases whose next step is due; the
background reception of large delivery files (its daily expiry is common's, ADR 0043)."""

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
