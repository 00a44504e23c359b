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
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import Referral

from .models import Beneficiary, StaffNote

ANONYMOUS_NAME = "Anonymisé"
# Identity and contact fields, with the value that replaces them.
SCRUBBED = {
    "first_name": ANONYMOUS_NAME,
    "last_name": "",
    "phone": "",
    "has_no_phone": True,
    "email": "",
    "contact_notes": "",
    "languages": [],
    "search_name": "",
}
SCRUBBED_REFERRAL = {
    **SCRUBBED,
    "reason": "",
    "needs_equip_detail": "",
    "needs_connect_detail": "",
    "needs_support_detail": "",
    "refusal_comment": "",
}


def anonymise_personal_data(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    counts = {"referrals": 0, "beneficiaries": 0}
    with transaction.atomic():
        referrals = Referral.objects.filter(
            status__in=[ReferralStatus.REFUSED, ReferralStatus.EXPIRED],
            decided_at__lt=cutoff,
            anonymised_at__isnull=True,
        )
        for pk in referrals.values_list("pk", flat=True):
            record(
                actor=None,
                action=AuditAction.UPDATE,
                object_type="referrals.referral",
                object_id=str(pk),
                changed_fields=list(SCRUBBED_REFERRAL),
            )
            counts["referrals"] += 1
        # A queryset update: save() would recompute search_name from the scrubbed names.
        referrals.update(**SCRUBBED_REFERRAL, anonymised_at=now)

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
        Referral.objects.filter(beneficiary_id__in=ids, anonymised_at__isnull=True).update(
            **SCRUBBED_REFERRAL, anonymised_at=now
        )
        counts["beneficiaries"] = len(ids)
    return counts


@shared_task
def anonymise_expired_personal_data() -> dict[str, int]:
    return anonymise_personal_data()
