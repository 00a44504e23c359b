"""Background jobs on referrals: remind the reception point, then expire what nobody answered;
and what the daily anonymisation of personal data (beneficiaries.retention) does to referrals.

Both jobs run daily on Celery beat (or inline without a broker) and take `now` for tests.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.beneficiaries.retention import SCRUBBED
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from . import notifications, services
from .enums import PENDING_STATUSES, ReferralStatus
from .models import Referral

logger = logging.getLogger(__name__)

# Who answers referrals at a reception point, hence who is reminded.
INBOX_ROLES = (Role.SITE_MANAGER, Role.STAFF)


def _site_recipients(reception_point_ids: set[int]) -> dict[int, list[str]]:
    rows = (
        Membership.objects.active()
        .filter(reception_point_id__in=reception_point_ids, role__in=INBOX_ROLES)
        .exclude(user__email="")
        .values_list("reception_point_id", "user__email")
        .order_by("user__email")
    )
    recipients: dict[int, list[str]] = defaultdict(list)
    for site_id, email in rows:
        if email not in recipients[site_id]:
            recipients[site_id].append(email)
    return recipients


@transaction.atomic
def send_reminders(*, now: datetime | None = None) -> int:
    """One e-mail to each of a reception point's team listing its referrals still open after
    the delay.

    Returns the number of referrals reminded. Each referral is reminded once; a site with nobody
    to write to is left for a later run. The e-mails carry reference codes only, no names.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REFERRAL_REMINDER_DAYS)
    # Rows locked and skipped if locked: two overlapping runs never remind twice.
    due = list(
        Referral.objects.filter(
            status=ReferralStatus.OPEN, created_at__lte=cutoff, reminded_at__isnull=True
        )
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("created_at", "id")
        .values_list("pk", "reference", "reception_point_id", "reception_point__name")
    )
    by_site: dict[int, list[tuple[int, str]]] = defaultdict(list)
    site_names: dict[int, str] = {}
    for pk, reference, site_id, site_name in due:
        by_site[site_id].append((pk, reference))
        site_names[site_id] = site_name
    recipients = _site_recipients(set(by_site))
    reminded: list[int] = []
    for site_id, referrals in by_site.items():
        if not recipients.get(site_id):
            logger.warning("No site manager or staff to remind at reception point %s", site_id)
            continue
        reminded.extend(pk for pk, _ref in referrals)
        # Logged now, sent after commit (notifications.notify).
        notifications.send_reminder(
            site_id=site_id,
            site_name=site_names[site_id],
            references=[ref for _pk, ref in referrals],
            recipients=recipients[site_id],
            days=settings.REFERRAL_REMINDER_DAYS,
            expiry_days=settings.REFERRAL_EXPIRY_DAYS,
        )
    Referral.objects.filter(pk__in=reminded).update(reminded_at=now)
    return len(reminded)


def expire_pending(*, now: datetime | None = None) -> int:
    """Expire referrals pending for longer than the delay; the référent is told by e-mail.

    Each referral is expired in its own transaction by `services.expire_referral`, which locks
    the row and checks its status again: one decided meanwhile is left as it is.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REFERRAL_EXPIRY_DAYS)
    due = Referral.objects.filter(status__in=PENDING_STATUSES, created_at__lte=cutoff)
    expired = 0
    for referral in due.order_by("created_at", "id"):
        try:
            services.expire_referral(referral=referral, now=now)
        except ServiceError:
            continue
        expired += 1
    return expired


@shared_task
def remind_open_referrals(now: datetime | None = None) -> int:
    return send_reminders(now=now)


@shared_task
def expire_open_referrals(now: datetime | None = None) -> int:
    return expire_pending(now=now)


# --- Retention (registered with beneficiaries.retention by ReferralsConfig.ready) ---------------

SCRUBBED_REFERRAL = {
    **SCRUBBED,
    "reason": "",
    "needs_equip_detail": "",
    "needs_connect_detail": "",
    "needs_support_detail": "",
    "refusal_comment": "",
}


def anonymise_closed_referrals(cutoff: datetime, now: datetime) -> int:
    """Referrals refused or expired before `cutoff` (no file was opened) lose their identity."""
    referrals = Referral.objects.filter(
        status__in=[ReferralStatus.REFUSED, ReferralStatus.EXPIRED],
        decided_at__lt=cutoff,
        anonymised_at__isnull=True,
    )
    count = 0
    for pk in referrals.values_list("pk", flat=True):
        record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="referrals.referral",
            object_id=str(pk),
            changed_fields=list(SCRUBBED_REFERRAL),
        )
        count += 1
    # A queryset update: save() would recompute search_name from the scrubbed names.
    referrals.update(**SCRUBBED_REFERRAL, anonymised_at=now)
    return count


def anonymise_referrals_of_files(beneficiary_ids: list[int], now: datetime) -> None:
    """The referrals that opened the files anonymised in the same run."""
    Referral.objects.filter(beneficiary_id__in=beneficiary_ids, anonymised_at__isnull=True).update(
        **SCRUBBED_REFERRAL, anonymised_at=now
    )


# Celery discovers tasks in tasks.py modules: expose the weekly digest here too.
from .digest import send_weekly_digests_task  # noqa: E402,F401
