"""Background jobs: send one message (with its retries), the sweep of due messages, and the
daily purge of message texts past their retention (`NOTIFICATIONS_TEXT_RETENTION_DAYS`)."""

from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .delivery import deliver_step, due_messages
from .masking import mask
from .models import DoubtfulPhone, Message


def deliver(message_id: int, *, is_retry: bool = False) -> None:
    """Send now; without a broker the retries follow at once, with one they are queued."""
    delay = deliver_step(message_id, is_retry=is_retry)
    while delay is not None:
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            deliver_message.apply_async((message_id, True), countdown=delay)
            return
        delay = deliver_step(message_id, is_retry=True)


@shared_task(name="solidarnum.notifications.tasks.deliver_message", acks_late=True)
def deliver_message(message_id: int, is_retry: bool = False) -> None:
    deliver(message_id, is_retry=is_retry)


def send_due() -> int:
    ids = due_messages()
    for message_id in ids:
        deliver(message_id, is_retry=True)
    return len(ids)


@shared_task(name="solidarnum.notifications.tasks.send_due_messages")
def send_due_messages() -> int:
    return send_due()


@transaction.atomic
def purge_texts(*, now: datetime | None = None) -> int:
    """Texts, subjects and full addresses older than the delay: only the metadata stays (the
    template, the status, the dates, the masked recipient)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NOTIFICATIONS_TEXT_RETENTION_DAYS)
    old = Message.objects.filter(created_at__lt=cutoff, text_purged_at__isnull=True)
    count = 0
    for message in old.only("pk", "channel", "recipient").iterator():
        Message.objects.filter(pk=message.pk).update(
            body="", subject="", recipient=mask(message.recipient), text_purged_at=now
        )
        count += 1
    return count


@shared_task(name="solidarnum.notifications.tasks.purge_message_texts")
def purge_message_texts() -> int:
    return purge_texts()


# --- Retention (registered with beneficiaries.retention by NotificationsConfig.ready) -----------


def forget_old_doubtful_phones(cutoff: datetime, now: datetime) -> int:
    """A refusal older than the retention delay is no longer worth a warning."""
    count, _detail = DoubtfulPhone.objects.filter(at__lt=cutoff).delete()
    return count


def forget_contacts_of_files(beneficiary_ids: list[int], now: datetime) -> None:
    """Files anonymised in the same run: their messages keep only their metadata."""
    DoubtfulPhone.objects.filter(beneficiary_id__in=beneficiary_ids).delete()
    for message in Message.objects.filter(
        beneficiary_id__in=beneficiary_ids, text_purged_at__isnull=True
    ).only("pk", "recipient"):
        Message.objects.filter(pk=message.pk).update(
            body="", subject="", recipient=mask(message.recipient), text_purged_at=now
        )
