"""The e-mails accounts writes (the invitation) and who sends them: an extension point.

accounts sits below notifications (which imports it), so it cannot call `notify`. It offers a
registry instead: notifications registers its sender from `AppConfig.ready()`, and an invitation
then goes through `notify` (the delivery log, retries, the fallback provider). With no sender
registered (accounts used alone), Django's `send_mail` sends it after the commit.

    from solidarnum.accounts import mail
    mail.register_sender(send_through_notify)  # notifications.apps
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string


@dataclass(frozen=True)
class AccountEmail:
    """One e-mail: the template key (the notifications template of the same name renders it
    there), its subject and body template for `send_mail`, and what it is about."""

    key: str
    to: str
    subject: str
    template_name: str
    context: Mapping[str, Any] = field(default_factory=dict)
    related_object: models.Model | None = None
    reception_point_id: int | None = None


Sender = Callable[[AccountEmail], None]
_senders: list[Sender] = []


def register_sender(sender: Sender) -> None:
    """The one sender of accounts' e-mails (the last registered wins)."""
    _senders[:] = [sender]


def unregister_senders() -> None:
    _senders.clear()


def send(email: AccountEmail) -> None:
    """Inside the caller's transaction: the registered sender logs and queues it; without one,
    `send_mail` after the commit."""
    if _senders:
        _senders[-1](email)
        return
    body = render_to_string(email.template_name, dict(email.context))
    transaction.on_commit(
        lambda: send_mail(email.subject, body, None, [email.to], fail_silently=False)
    )
