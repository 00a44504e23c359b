"""Sending one logged message: the stale check, STOP and quiet hours, then the providers in order,
with retries on temporary errors and the fallback after them.

`deliver_step` makes one attempt and says what follows: None (done: sent, failed or not sent) or
a delay after which to try again. `tasks.deliver_message` loops on it: inline without a broker
(the retries then follow at once), through Celery's countdown with one.

No personal data is logged: only message ids, providers and error codes.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import calendar, messages, staleness
from .backends import (
    Outgoing,
    ProviderError,
    RecipientError,
    TemporaryError,
    providers_for,
)
from .enums import AttemptOutcome, Channel, MessageKind, MessageStatus
from .models import Attempt, DoubtfulPhone, Message, OptOut

logger = logging.getLogger(__name__)


def retry_delay(failures: int) -> float:
    """Backoff after the n-th temporary failure with one provider: 30 s, 2 min, 8 min..."""
    base = float(settings.NOTIFICATIONS_RETRY_BASE_SECONDS)
    return float(base * 4 ** max(0, failures - 1))


def forget_personal_text(message: Message) -> None:
    """A message whose text carries a personal link (an invitation) keeps only its metadata
    once it is sent, failed or not sent: nobody needs the link again."""
    known = messages.known(message.template)
    if known is None or known.keeps_text or message.text_purged_at is not None:
        return
    Message.objects.filter(pk=message.pk).update(body="", text_purged_at=timezone.now())


def _cancel(message: Message, reason: str) -> None:
    message.status = MessageStatus.CANCELLED
    message.error = reason[:255]
    message.save(update_fields=["status", "error"])
    forget_personal_text(message)
    logger.info("Message %s not sent: %s", message.pk, message.template)


def _fail(message: Message, error: str) -> None:
    message.status = MessageStatus.FAILED
    message.error = error[:255]
    message.failed_at = timezone.now()
    message.save(update_fields=["status", "error", "failed_at"])
    forget_personal_text(message)
    logger.warning("Message %s failed (%s)", message.pk, message.provider or "-")


def mark_doubtful(message: Message, error: str) -> None:
    if message.channel == Channel.SMS and message.beneficiary_id:
        DoubtfulPhone.objects.get_or_create(
            beneficiary_id=message.beneficiary_id,
            phone=message.recipient,
            defaults={"message": message, "error": error[:255]},
        )


def _provider_plan(message: Message) -> tuple[int, int] | None:
    """Which provider to try next (its index) and how many temporary failures it had; None when
    every provider has used its attempts or refused the message."""
    providers = providers_for(message.channel)
    attempts = list(message.attempts.values_list("provider", "outcome"))
    for index, provider in enumerate(providers):
        mine = [outcome for name, outcome in attempts if name == provider.name]
        if AttemptOutcome.PROVIDER in mine:
            continue
        failures = mine.count(AttemptOutcome.TEMPORARY)
        if failures < settings.NOTIFICATIONS_MAX_ATTEMPTS:
            return index, failures
    return None


def deliver_step(message_id: int, *, is_retry: bool = False) -> float | None:
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=MessageStatus.PENDING)
            .first()
        )
        if message is None:
            return None  # already sent, cancelled, or being sent by another worker
        return _step(message, is_retry=is_retry)


def _step(message: Message, *, is_retry: bool) -> float | None:
    now = timezone.now()
    if message.not_before and message.not_before > now and not is_retry:
        return None  # the sweep sends it in time
    if message.object_type:
        current = staleness.fingerprint_of(message.object_type, message.object_id)
        if current != message.fingerprint:
            _cancel(message, _("L'objet du message a changé depuis : message non envoyé."))
            return None
    is_transactional = message.kind == MessageKind.TRANSACTIONAL
    if message.channel == Channel.SMS and not is_transactional:
        if OptOut.objects.filter(phone=message.recipient).exists():
            _cancel(message, _("Le numéro a répondu STOP : message non envoyé."))
            return None
        allowed = calendar.next_allowed(now)
        if allowed > now:
            message.not_before = allowed
            message.save(update_fields=["not_before"])
            return None
    plan = _provider_plan(message)
    if plan is None:
        _fail(message, message.error or _("Aucun fournisseur n'a pu envoyer le message."))
        return None
    index, failures = plan
    provider = providers_for(message.channel)[index]
    outgoing = Outgoing(
        reference=str(message.pk),
        to=message.recipient,
        body=message.body,
        subject=message.subject,
        is_transactional=is_transactional,
    )
    try:
        result = provider.send(outgoing)
    except TemporaryError as error:
        _attempt(message, provider.name, AttemptOutcome.TEMPORARY, str(error))
        if failures + 1 < settings.NOTIFICATIONS_MAX_ATTEMPTS:
            delay = retry_delay(failures + 1)
            # The sweep leaves it alone until then (the retry itself is queued with a countdown).
            message.not_before = now + timedelta(seconds=delay)
            message.save(update_fields=["not_before"])
            return delay
        return _next_provider(message)
    except ProviderError as error:
        _attempt(message, provider.name, AttemptOutcome.PROVIDER, str(error))
        return _next_provider(message)
    except RecipientError as error:
        _attempt(message, provider.name, AttemptOutcome.RECIPIENT, str(error))
        message.provider = provider.name
        _fail(message, str(error))
        mark_doubtful(message, str(error))
        return None
    _attempt(message, provider.name, AttemptOutcome.ACCEPTED, "")
    message.status = MessageStatus.SENT
    message.provider = provider.name
    message.provider_message_id = result.provider_message_id
    message.sent_at = timezone.now()
    message.error = ""
    if result.segments is not None:
        message.segments = result.segments
    if result.cost is not None:
        message.cost = result.cost
    message.save(
        update_fields=[
            "status",
            "provider",
            "provider_message_id",
            "sent_at",
            "error",
            "segments",
            "cost",
        ]
    )
    forget_personal_text(message)
    logger.info("Message %s sent by %s", message.pk, provider.name)
    return None


def _next_provider(message: Message) -> float | None:
    """At once to the fallback when there is one; otherwise the message has failed."""
    if _provider_plan(message) is not None:
        return 0.0
    _give_up(message)
    return None


def _give_up(message: Message) -> None:
    last = message.attempts.order_by("-at", "-id").first()
    _fail(message, last.error if last else _("Aucun fournisseur n'a pu envoyer le message."))


def _attempt(message: Message, provider: str, outcome: AttemptOutcome, error: str) -> None:
    Attempt.objects.create(message=message, provider=provider, outcome=outcome, error=error[:255])
    message.provider = provider
    message.error = error[:255]
    message.save(update_fields=["provider", "error"])


def due_messages() -> list[int]:
    """Pending messages whose time has come: quiet hours over, a retry whose task was lost, or
    queued and never sent (a broker restart)."""
    moment = timezone.now()
    stuck = moment - timedelta(minutes=settings.NOTIFICATIONS_STUCK_MINUTES)
    return list(
        Message.objects.filter(status=MessageStatus.PENDING)
        .filter(Q(not_before__lte=moment) | Q(not_before__isnull=True, created_at__lte=stuck))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:500]
    )
