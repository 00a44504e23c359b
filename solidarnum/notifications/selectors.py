"""Who sees which messages: national admins all of them, a reception point's manager and staff
those about their place. The file page reads what sending learnt about a person's contact."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, scope_of

from . import messages
from .models import DoubtfulPhone, Message, OptOut
from .notify import e164

# Messages shown on a person's file.
FILE_MESSAGES = 5


def messages_for(scope: Scope) -> QuerySet[Message]:
    if scope.is_national_admin:
        return Message.objects.all()
    if scope.has_role(Role.SITE_MANAGER, Role.STAFF) and scope.reception_point_id:
        return Message.objects.filter(reception_point_id=scope.reception_point_id)
    return Message.objects.none()


def get_message_or_404(request: HttpRequest, pk: int) -> Message:
    return get_object_or_404(messages_for(scope_of(request)), pk=pk)


def message_attempts(message: Message) -> list[Any]:
    return list(message.attempts.all())


def contact_warnings(beneficiary: Any) -> dict[str, Any]:
    """For the person's file: is its current phone doubtful, did it answer STOP, the last
    messages. Three queries whatever the file."""
    phone = "" if beneficiary.has_no_phone else e164(beneficiary.phone)
    doubtful = (
        DoubtfulPhone.objects.filter(beneficiary_id=beneficiary.pk, phone=phone)
        .order_by("-at")
        .first()
        if phone
        else None
    )
    opt_out = OptOut.objects.filter(phone=phone).first() if phone else None
    recent = list(
        Message.objects.filter(beneficiary_id=beneficiary.pk)
        .only("pk", "channel", "template", "status", "created_at", "recipient")
        .order_by("-created_at", "-id")[:FILE_MESSAGES]
    )
    for message in recent:  # what the message was (the voucher, a receipt...), by its template
        known = messages.known(message.template)
        message.title = known.title if known else message.template  # type: ignore[attr-defined]
    return {"doubtful": doubtful, "opt_out": opt_out, "recent": recent}
