"""Background jobs for accounts. They run on Celery workers, or inline without a broker."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Invitation

# Unused invitations hold an e-mail address for nothing: purge them after this delay.
INVITATION_RETENTION_DAYS = getattr(settings, "INVITATION_RETENTION_DAYS", 90)


@shared_task
def purge_stale_invitations() -> int:
    """Delete invitations that expired or were revoked long ago and were never accepted."""
    cutoff = timezone.now() - timedelta(days=INVITATION_RETENTION_DAYS)
    with transaction.atomic():
        deleted, _ = Invitation.objects.filter(
            Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff), accepted_at__isnull=True
        ).delete()
    return deleted
