"""The référent's weekly digest: what changed in their structure's referrals.

Off by default; the référent switches it on in their preferences. One e-mail per week and per
référent, only when something changed; it carries codes, statuses and first names only.
Run by `manage.py send_referral_digests` (cron) or the Celery task below (beat).
"""

import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.common.links import absolute_url
from solidarnum.notifications.enums import Channel
from solidarnum.notifications.messages import get as get_template
from solidarnum.notifications.messages import render
from solidarnum.notifications.notify import Recipient, notify

from .enums import ReferralStatus
from .models import DigestSubscription, Referral

logger = logging.getLogger(__name__)

DEFAULT_WINDOW = timedelta(days=7)
# The e-mail lists at most this many referrals; the counts always cover all of them.
MAX_LISTED = 100


@transaction.atomic
def set_digest_subscription(*, acting_user: Any, is_active: bool) -> DigestSubscription:
    """Switch the acting user's weekly digest on or off."""
    subscription, _created = DigestSubscription.objects.select_for_update().get_or_create(
        user=acting_user, defaults={"is_active": is_active}
    )
    if subscription.is_active != is_active:
        subscription.is_active = is_active
        subscription.save(update_fields=["is_active"])
    return subscription


def digest_is_active(user: Any) -> bool:
    """Read only: GET pages must not create the subscription row."""
    return DigestSubscription.objects.filter(user=user, is_active=True).exists()


def _referent_structures(user_ids: list[int]) -> dict[int, set[int]]:
    """Partner structures where each user is an active référent, in one query."""
    structures: dict[int, set[int]] = {}
    rows = (
        Membership.objects.active()
        .filter(user_id__in=user_ids, role=Role.REFERENT, partner_structure__isnull=False)
        .values_list("user_id", "partner_structure_id")
    )
    for user_id, structure_id in rows:
        structures.setdefault(user_id, set()).add(structure_id)
    return structures


def changed_referrals(structure_ids: set[int], since: datetime, until: datetime) -> list[Referral]:
    return list(
        Referral.objects.filter(
            partner_structure_id__in=structure_ids, updated_at__gt=since, updated_at__lte=until
        )
        .select_related("reception_point")
        .only("reference", "first_name", "status", "updated_at", "reception_point__name")
        .order_by("-updated_at", "-id")
    )


def digest_context(referrals: list[Referral], since: datetime) -> dict[str, Any]:
    """What the digest's template needs: codes, first names, statuses, places; no more."""
    by_status = Counter(r.status for r in referrals)
    return {
        "since": since,
        "counts": [
            (label, by_status[value]) for value, label in ReferralStatus.choices if by_status[value]
        ],
        "referrals": [
            {
                "reference": r.reference,
                "first_name": r.first_name,
                "status": r.get_status_display(),
                "place": r.reception_point.name,
            }
            for r in referrals[:MAX_LISTED]
        ],
        "count": len(referrals),
        "not_listed": max(0, len(referrals) - MAX_LISTED),
        "follow_up_url": absolute_url("referrals:referent_referral_list"),
    }


def render_digest(referrals: list[Referral], since: datetime) -> tuple[str, str]:
    """Subject and body of one digest (as the référent will read it)."""
    rendered = render(
        get_template("referrals.digest"),
        digest_context(referrals, since),
        language=str(settings.LANGUAGE_CODE),
        channel=Channel.EMAIL,
    )
    return rendered.subject, rendered.body


def send_weekly_digests(now: datetime | None = None) -> int:
    """Send the digests that are due; returns how many e-mails were sent."""
    now = now or timezone.now()
    subscriptions = list(
        DigestSubscription.objects.filter(is_active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    structures = _referent_structures([s.user_id for s in subscriptions])
    sent = 0
    for subscription in subscriptions:
        structure_ids = structures.get(subscription.user_id)
        if not structure_ids:
            continue  # no longer an active référent
        try:
            sent += _send_one(subscription, structure_ids, now)
        except Exception:
            # One failing address must not stop the others; no personal data in the log.
            logger.exception("Referral digest failed for subscription %s", subscription.pk)
    return sent


@transaction.atomic
def _send_one(subscription: DigestSubscription, structure_ids: set[int], now: datetime) -> int:
    # Lock the row: two runs at once send one e-mail, the second sees the new last_sent_at.
    locked = (
        DigestSubscription.objects.select_for_update(skip_locked=True)
        .filter(pk=subscription.pk, is_active=True)
        .first()
    )
    if locked is None or locked.last_sent_at != subscription.last_sent_at:
        return 0
    since = locked.last_sent_at or now - DEFAULT_WINDOW
    referrals = changed_referrals(structure_ids, since, now)
    if not referrals:
        return 0
    # Logged now, sent after commit.
    notify(
        recipient=Recipient.of_email(subscription.user.email),
        template="referrals.digest",
        context=digest_context(referrals, since),
        channel=Channel.EMAIL,
    )
    locked.last_sent_at = now
    locked.save(update_fields=["last_sent_at"])
    return 1


@shared_task(name="solidarnum.referrals.digest.send_weekly_digests")
def send_weekly_digests_task() -> int:
    return send_weekly_digests()
