"""Background jobs for accounts. They run on Celery workers, or inline without a broker."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .models import Invitation


@shared_task
def purge_stale_invitations() -> int:
    """Delete invitations that expired or were revoked long ago and were never accepted."""
    # Unused invitations hold an e-mail address for nothing.
    cutoff = timezone.now() - timedelta(days=settings.INVITATION_RETENTION_DAYS)
    with transaction.atomic():
        stale = Invitation.objects.filter(
            Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff), accepted_at__isnull=True
        )
        ids = list(stale.values_list("pk", flat=True))
        for pk in ids:
            record(
                actor=None,
                action=AuditAction.DELETE,
                object_type="accounts.invitation",
                object_id=str(pk),
            )
        stale.delete()
    return len(ids)
