"""Retention: personal data is kept while useful, then anonymised.

A referral closed without a file (refused or expired) and a file whose person left (exit) keep
their identity and contact details for `PERSONAL_DATA_RETENTION_DAYS` (730 by default, as the
privacy notice says), then lose them. What remains (dates, statuses, needs, profile,
milestones) still counts in the statistics and names nobody.
"""

from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from . import retention
from .models import Beneficiary, StaffNote
from .retention import SCRUBBED


def anonymise_personal_data(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    keepers = retention.keepers()
    counts: dict[str, int] = {}
    with transaction.atomic():
        # What other apps keep on their own (a referral closed without a file, for one).
        for keeper in keepers:
            counts[keeper.name] = keeper.expired(cutoff, now)

        files = Beneficiary.objects.filter(exited_on__lt=cutoff.date(), anonymised_at__isnull=True)
        ids = list(files.values_list("pk", flat=True))
        for pk in ids:
            record(
                actor=None,
                action=AuditAction.UPDATE,
                object_type="beneficiaries.beneficiary",
                object_id=str(pk),
                changed_fields=[*SCRUBBED, "notes"],
            )
        files.update(**SCRUBBED, exit_comment="", anonymised_at=now)
        StaffNote.objects.filter(beneficiary_id__in=ids).delete()
        for keeper in keepers:
            keeper.of_files(ids, now)
        counts["beneficiaries"] = len(ids)
    return counts


@shared_task
def anonymise_expired_personal_data() -> dict[str, int]:
    return anonymise_personal_data()
