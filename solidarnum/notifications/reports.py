"""What the providers' webhooks tell: delivery reports and replies (STOP).

A report moves a message forward only (en attente → envoyé → délivré | échec): a replayed or
late report changes nothing. A report on a message we do not know is ignored.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from .backends import DeliveryReport, InboundSms, is_stop
from .delivery import mark_doubtful
from .enums import FINAL_STATUSES, MessageStatus
from .models import Message, OptOut

logger = logging.getLogger(__name__)


@transaction.atomic
def apply_report(*, provider: str, report: DeliveryReport) -> bool:
    """True when the report changed the message."""
    message = (
        Message.objects.select_for_update()
        .filter(provider=provider, provider_message_id=report.provider_message_id)
        .first()
    )
    if message is None:
        logger.info("Delivery report for an unknown %s message: ignored", provider)
        return False
    if message.status in FINAL_STATUSES:
        return False
    fields: list[str] = []
    if report.cost is not None and message.cost is None:
        message.cost = report.cost
        fields.append("cost")
    if report.segments and not message.segments:
        message.segments = report.segments
        fields.append("segments")
    now = timezone.now()
    if report.status == "delivered":
        message.status = MessageStatus.DELIVERED
        message.delivered_at = now
        fields += ["status", "delivered_at"]
    elif report.status == "failed":
        message.status = MessageStatus.FAILED
        message.failed_at = now
        message.error = report.error[:255]
        fields += ["status", "failed_at", "error"]
        if report.is_permanent:
            mark_doubtful(message, report.error)
    elif report.status == "sent" and message.status == MessageStatus.PENDING:
        message.status = MessageStatus.SENT
        message.sent_at = message.sent_at or now
        fields += ["status", "sent_at"]
    if not fields:
        return False
    message.save(update_fields=fields)
    logger.info("Message %s: %s reported by %s", message.pk, message.status, provider)
    return True


def apply_inbound(*, provider: str, inbound: InboundSms) -> bool:
    """A STOP reply stops every non-essential message to that number; True when it was one."""
    if not is_stop(inbound.text):
        return False
    OptOut.objects.get_or_create(phone=inbound.phone, defaults={"provider": provider})
    logger.info("STOP received through %s", provider)
    return True
