"""The one interface other apps use to reach a person or a partner.

    from solidarnum.notifications.notify import Recipient, notify
    notify(recipient=Recipient.of_person(referral), template="referrals.voucher",
           context={...}, related_object=referral, reception_point_id=referral.reception_point_id)

`notify` chooses the channel (the person's contact preference and what they have), renders the
template in their language, writes the message to the delivery log in the caller's transaction
(rolled back with it), and queues the sending in `transaction.on_commit`: nothing is sent inside
the request, and nothing is sent for a change that was not committed. Celery sends it (inline when
no broker is configured).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import calendar, messages, staleness
from .enums import Channel, MessageKind, MessageStatus
from .gsm import sms_length
from .models import Message


def e164(phone: Any) -> str:
    """ "+33612345678" whatever the display format of the phone field."""
    if not phone:
        return ""
    return str(getattr(phone, "as_e164", phone))


@dataclass(frozen=True)
class Recipient:
    phone: str = ""
    email: str = ""
    languages: Sequence[str] = field(default_factory=tuple)
    prefers: str = ""  # the person's contact preference: "sms", "email"...
    beneficiary_id: int | None = None

    @classmethod
    def of_person(cls, person: Any, *, beneficiary_id: int | None = None) -> Recipient:
        """A person's file or referral (both have phone, email, languages, contact_preference)."""
        return cls(
            phone="" if person.has_no_phone else e164(person.phone),
            email=person.email or "",
            languages=tuple(person.languages or ()),
            prefers=person.contact_preference,
            beneficiary_id=beneficiary_id,
        )

    @classmethod
    def of_email(cls, email: str) -> Recipient:
        return cls(email=email, prefers=Channel.EMAIL)


def choose_channel(recipient: Recipient, template: messages.MessageTemplate) -> Channel | None:
    """The person's preference when they have that contact, else what they have."""
    usable = [
        channel
        for channel in template.channels
        if (channel == Channel.SMS and recipient.phone)
        or (channel == Channel.EMAIL and recipient.email)
    ]
    if not usable:
        return None
    preferred = Channel.EMAIL if recipient.prefers == Channel.EMAIL else Channel.SMS
    return preferred if preferred in usable else usable[0]


def notify(
    *,
    recipient: Recipient,
    template: str,
    context: Mapping[str, Any],
    channel: Channel | None = None,
    related_object: models.Model | None = None,
    kind: MessageKind | None = None,
    reception_point_id: int | None = None,
) -> Message | None:
    """Log and queue one message; None when the recipient has no usable contact."""
    message_template = messages.get(template)
    chosen = channel or choose_channel(recipient, message_template)
    if chosen is None or (chosen == Channel.SMS and not recipient.phone):
        return None
    if chosen == Channel.EMAIL and not recipient.email:
        return None
    language = (
        messages.language_for(tuple(recipient.languages))
        if message_template.is_for_person
        else messages.language_for(())
    )
    rendered = messages.render(message_template, context, language=language, channel=chosen)
    kind = kind or message_template.kind
    object_type = related_object._meta.label_lower if related_object is not None else ""
    object_id = str(related_object.pk) if related_object is not None else ""
    now = timezone.now()
    not_before = None
    if chosen == Channel.SMS and kind != MessageKind.TRANSACTIONAL:
        allowed = calendar.next_allowed(now)
        not_before = allowed if allowed > now else None
    message = Message.objects.create(
        channel=chosen,
        template=template,
        kind=kind,
        language=language,
        recipient=recipient.phone if chosen == Channel.SMS else recipient.email,
        beneficiary_id=recipient.beneficiary_id,
        reception_point_id=reception_point_id,
        object_type=object_type,
        object_id=object_id,
        fingerprint=staleness.fingerprint_of(object_type, object_id) or "",
        subject=rendered.subject[:255],
        body=rendered.body,
        segments=sms_length(rendered.body).segments if chosen == Channel.SMS else None,
        status=MessageStatus.PENDING,
        not_before=not_before,
    )
    if not_before is None:
        message_id = message.pk
        transaction.on_commit(lambda: _queue(message_id))
    # Otherwise the sweep (`tasks.send_due_messages`) sends it when the hours allow.
    return message


def _queue(message_id: int) -> None:
    from .tasks import deliver_message

    deliver_message.delay(message_id)


def send_account_email(email: Any) -> None:
    """accounts' e-mails (an invitation: `accounts.mail.AccountEmail`), through `notify`."""
    notify(
        recipient=Recipient.of_email(email.to),
        template=email.key,
        context=email.context,
        channel=Channel.EMAIL,
        related_object=email.related_object,
        reception_point_id=email.reception_point_id,
    )


def attach_to_file(related_object: models.Model, beneficiary_id: int) -> int:
    """Messages about an object sent before the person had a file (a voucher sent while the
    referral was pending) join the file the object now leads to: the file's "Messages" list
    shows them. Returns how many."""
    return Message.objects.filter(
        object_type=related_object._meta.label_lower,
        object_id=str(related_object.pk),
        beneficiary__isnull=True,
    ).update(beneficiary_id=beneficiary_id)
