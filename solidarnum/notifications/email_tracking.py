"""E-mail delivery reports through django-anymail's tracking webhooks.

Anymail's tracking views parse each provider's webhook into one normalised event and send
anymail's `tracking` signal; `on_tracking` (connected by `NotificationsConfig.ready`) moves the
message it is about forward in the delivery log (envoyé → délivré | échec), as the SMS reports
do (`reports.apply_report`: a replayed or late event changes nothing, an unknown id is ignored).

The webhook is authenticated as anymail documents it: HTTP basic auth with
`ANYMAIL["WEBHOOK_SECRET"]` ("user:password", from `SOLIDARNUM_EMAIL_WEBHOOK_SECRET`), checked by
anymail in constant time. Our view refuses every call when no secret is configured (anymail
would only warn), and answers 403 to a wrong one.

No personal data is kept from the event: not the address, not the provider's SMTP answer (it
often quotes the address); only the kind of failure.
"""

from __future__ import annotations

import logging
from typing import Any

from .backends import DeliveryReport
from .enums import Channel
from .models import Message
from .reports import apply_report

logger = logging.getLogger(__name__)

# anymail's normalised event types and what they mean for the log; the others (queued,
# deferred, opened, clicked, unsubscribed...) change nothing.
DELIVERED = frozenset({"delivered"})
SENT = frozenset({"sent"})
FAILED = frozenset({"bounced", "rejected", "failed"})


def report_of(event: Any) -> DeliveryReport | None:
    message_id = getattr(event, "message_id", None)
    event_type = str(getattr(event, "event_type", "") or "")
    if not message_id or not isinstance(message_id, str):
        return None
    if event_type in DELIVERED:
        return DeliveryReport(provider_message_id=message_id[:128], status="delivered")
    if event_type in SENT:
        return DeliveryReport(provider_message_id=message_id[:128], status="sent")
    if event_type in FAILED:
        reason = str(getattr(event, "reject_reason", "") or "")
        error = f"e-mail {event_type}" + (f" ({reason})" if reason else "")
        return DeliveryReport(
            provider_message_id=message_id[:128], status="failed", is_permanent=True, error=error
        )
    return None


def on_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail's `tracking` signal: one event of one e-mail."""
    report = report_of(event)
    if report is None:
        return
    message = (
        Message.objects.filter(
            channel=Channel.EMAIL, provider_message_id=report.provider_message_id
        )
        .only("pk", "provider")
        .first()
    )
    if message is None:
        logger.info("E-mail report from %s for an unknown message: ignored", esp_name)
        return
    apply_report(provider=message.provider, report=report)
