"""Delivery-log test data."""

from typing import Any

from solidarnum.notifications.enums import Channel, MessageKind, MessageStatus
from solidarnum.notifications.models import Message


def make_message(**extra: Any) -> Message:
    fields: dict[str, Any] = {
        "channel": Channel.SMS,
        "template": "referrals.voucher",
        "kind": MessageKind.TRANSACTIONAL,
        "language": "fr",
        "recipient": "+33612345678",
        "body": "Bon d'orientation K7P-2QX.",
        "status": MessageStatus.SENT,
        "provider": "memory",
    }
    fields.update(extra)
    return Message.objects.create(**fields)
