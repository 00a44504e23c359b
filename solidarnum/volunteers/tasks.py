"""Daily: declined candidates are deleted after the retention delay (a setting)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .enums import CandidateStatus
from .models import Candidate


@shared_task
def delete_declined_candidates() -> int:
    """Delete the candidates declined more than `VOLUNTEERS_DECLINED_RETENTION_DAYS` ago."""
    limit = timezone.now() - timedelta(days=settings.VOLUNTEERS_DECLINED_RETENTION_DAYS)
    deleted, _ = Candidate.objects.filter(
        status=CandidateStatus.DECLINED, declined_at__lt=limit
    ).delete()
    return deleted
