"""Providers, chosen by settings: a message goes through the first provider of its channel, and
through the next one (the fallback) when the first keeps failing.

SMS backends: `BrevoSmsBackend` (Brevo's transactional SMS API), `ConsoleSmsBackend` (prints,
for development), `MemorySmsBackend` (an outbox in memory, for tests). Another provider is a
subclass of `SmsBackend` named in `NOTIFICATIONS_SMS_BACKENDS`.

E-mail goes through Django's e-mail backends (`EMAIL_BACKEND`: django-anymail's providers, SMTP,
the console); `NOTIFICATIONS_EMAIL_FALLBACK_BACKEND` names a second one.

A provider answers with a `SendResult` or raises one of three errors, which decide what follows:
`TemporaryError` (timeout, provider down: retried, then the fallback), `ProviderError` (the
provider refuses us, e.g. no credit or a wrong key: straight to the fallback), `RecipientError`
(the number or address is wrong: no retry, the phone is marked doubtful).
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, TextIO

import httpx
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

from .enums import Channel
from .gsm import is_gsm


class DeliveryError(Exception):
    """Its text goes to the delivery log: no number, address or message text in it."""


class TemporaryError(DeliveryError):
    pass


class ProviderError(DeliveryError):
    pass


class RecipientError(DeliveryError):
    pass


@dataclass(frozen=True)
class Outgoing:
    """What a provider needs to send one message."""

    reference: str  # our message id, given to the provider as a tag
    to: str
    body: str
    subject: str = ""
    is_transactional: bool = True


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str
    segments: int | None = None
    cost: Decimal | None = None


@dataclass(frozen=True)
class DeliveryReport:
    """A delivery report read from a provider's webhook."""

    provider_message_id: str
    status: str  # "sent", "delivered", "failed"
    is_permanent: bool = False
    error: str = ""
    cost: Decimal | None = None
    segments: int | None = None


@dataclass(frozen=True)
class InboundSms:
    phone: str
    text: str


class WebhookPayloadError(ValueError):
    """A webhook body that does not have the expected shape (answered 400)."""


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or number >= 10_000:
        return None
    return number


def _small_int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 <= number < 1000 else None


def _phone(value: Any) -> str:
    """Brevo writes numbers without "+": 33612345678."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise WebhookPayloadError("phone")
    digits = str(value).strip().lstrip("+")
    if not digits.isdigit() or not 6 <= len(digits) <= 16:
        raise WebhookPayloadError("phone")
    return "+" + digits


# Brevo's event names for transactional SMS, as its webhooks send them (normalised: lower case,
# without "_"), and what they mean for the log. Checked against Brevo's documentation
# (developers.brevo.com/docs/transactional-webhooks, "Transactional SMS"): the webhook posts
# `msg_status` (sent, delivered, soft_bounce, hard_bounce), `messageId` (an integer, the one the
# send API answered), `to`, `sms_count`, `credits_used`, `remaining_credit`, `reference`, `type`,
# `date`. Brevo's events report API spells them in camelCase (softBounce, hardBounce, rejected,
# skip, replied, unsubscribe), hence the normalisation and the extra names.
SENT_EVENTS = frozenset({"sent", "accepted"})
DELIVERED_EVENTS = frozenset({"delivered"})
PERMANENT_FAILURES = frozenset({"hardbounce", "hardbounces", "rejected", "blacklisted", "invalid"})
TEMPORARY_FAILURES = frozenset({"softbounce", "softbounces", "skip", "skipped", "error"})
STOP_WORDS = frozenset({"STOP", "STOP SMS", "ARRET", "ARRÊT", "UNSUBSCRIBE"})


class SmsBackend:
    """Base class. `name` identifies the provider in the log and in its webhook's address."""

    name: ClassVar[str] = ""

    def send(self, message: Outgoing) -> SendResult:
        raise NotImplementedError

    # Webhooks: the Brevo shape by default (the console and memory backends use it too, so that
    # a development webhook can be simulated with the same body).
    def parse_report(self, payload: Any) -> DeliveryReport | None:
        """None: an event that changes nothing (opened, clicked, a reply...)."""
        if not isinstance(payload, dict):
            raise WebhookPayloadError("body")
        message_id = payload.get("messageId", payload.get("message_id"))
        event = payload.get("msg_status", payload.get("event"))
        if not isinstance(message_id, str | int) or isinstance(message_id, bool):
            raise WebhookPayloadError("messageId")
        if not isinstance(event, str):
            raise WebhookPayloadError("msg_status")
        event = event.lower().replace("_", "")
        description = payload.get("description")
        error = description[:200] if isinstance(description, str) else event
        if event in DELIVERED_EVENTS:
            status, is_permanent, error = "delivered", False, ""
        elif event in SENT_EVENTS:
            status, is_permanent, error = "sent", False, ""
        elif event in PERMANENT_FAILURES:
            status, is_permanent = "failed", True
        elif event in TEMPORARY_FAILURES:
            status, is_permanent = "failed", False
        else:
            return None
        return DeliveryReport(
            provider_message_id=str(message_id)[:128],
            status=status,
            is_permanent=is_permanent,
            error=error,
            cost=_decimal(payload.get("credits_used")),
            segments=_small_int(payload.get("sms_count")),
        )

    def parse_inbound(self, payload: Any) -> InboundSms:
        if not isinstance(payload, dict):
            raise WebhookPayloadError("body")
        phone = payload.get("from", payload.get("to"))
        text = payload.get("reply", payload.get("text", ""))
        event = payload.get("msg_status", payload.get("event", ""))
        if not isinstance(text, str) or not isinstance(event, str):
            raise WebhookPayloadError("reply")
        if event.lower() == "unsubscribe" and not text:
            text = "STOP"
        return InboundSms(phone=_phone(phone), text=text[:500])


def is_stop(text: str) -> bool:
    return " ".join(text.upper().split()).strip(" .!") in STOP_WORDS


class BrevoSmsBackend(SmsBackend):
    """Brevo's transactional SMS API (POST /v3/transactionalSMS/sms), called with httpx.

    Settings: `BREVO_API_KEY` (environment only), `NOTIFICATIONS_BREVO_API_URL` (a local stub in
    tests), `NOTIFICATIONS_SMS_SENDER` (11 characters at most), `NOTIFICATIONS_HTTP_TIMEOUT`.
    """

    name = "brevo"

    def __init__(self) -> None:
        self.api_url = settings.NOTIFICATIONS_BREVO_API_URL.rstrip("/")
        self.api_key = settings.BREVO_API_KEY
        self.sender = settings.NOTIFICATIONS_SMS_SENDER
        self.timeout = settings.NOTIFICATIONS_HTTP_TIMEOUT

    def send(self, message: Outgoing) -> SendResult:
        if not self.api_key:
            raise ProviderError("BREVO_API_KEY manquante")
        body = {
            "sender": self.sender,
            "recipient": message.to.lstrip("+"),
            "content": message.body,
            "type": "transactional" if message.is_transactional else "marketing",
            "tag": message.reference,
            # Brevo turns every character outside GSM 03.38 into its "English equivalent"
            # unless told the text is Unicode: Arabic, Ukrainian and Dari would be lost.
            "unicodeEnabled": not is_gsm(message.body),
        }
        if settings.NOTIFICATIONS_WEBHOOK_BASE_URL and settings.NOTIFICATIONS_WEBHOOK_SECRET:
            body["webUrl"] = webhook_url(self.name)
        try:
            response = httpx.post(
                f"{self.api_url}/transactionalSMS/sms",
                json=body,
                headers={"api-key": self.api_key, "accept": "application/json"},
                timeout=self.timeout,
            )
        except httpx.TimeoutException as error:
            raise TemporaryError("délai dépassé") from error
        except httpx.HTTPError as error:
            raise TemporaryError(f"connexion impossible ({type(error).__name__})") from error
        return self._result(response)

    def _result(self, response: httpx.Response) -> SendResult:
        status = response.status_code
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        code = str(data.get("code", ""))[:60]
        if status == 429 or status >= 500:
            raise TemporaryError(f"HTTP {status}")
        if status in (401, 402, 403):
            raise ProviderError(f"HTTP {status} {code}".strip())
        if status >= 400:
            # Brevo answers 400 "invalid_parameter" for a number it cannot send to.
            if code in ("invalid_parameter", "invalid_phone_number", "blacklisted"):
                raise RecipientError(f"HTTP {status} {code}")
            raise ProviderError(f"HTTP {status} {code}".strip())
        message_id = data.get("messageId") or data.get("reference")
        if not message_id:
            raise TemporaryError("réponse sans identifiant")
        return SendResult(
            provider_message_id=str(message_id)[:128],
            segments=_small_int(data.get("smsCount")),
            cost=_decimal(data.get("usedCredits")),
        )


class ConsoleSmsBackend(SmsBackend):
    """Development: prints the SMS (the terminal of `make run`) and accepts it."""

    name = "console"
    stream: ClassVar[TextIO | None] = None  # None: sys.stdout at the time of sending

    def send(self, message: Outgoing) -> SendResult:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        out = self.stream or sys.stdout
        out.write(
            f"--- SMS {provider_id} (message {message.reference}) à {message.to}\n"
            f"{message.body}\n---\n"
        )
        out.flush()
        return SendResult(provider_message_id=provider_id)


@dataclass
class _Outbox:
    sent: list[Outgoing] = field(default_factory=list)
    # Errors raised by the next sends, in order (tests program failures with them).
    failures: list[DeliveryError] = field(default_factory=list)


class MemorySmsBackend(SmsBackend):
    """Tests: keeps what it sends in `MemorySmsBackend.outbox`."""

    name = "memory"
    outbox: ClassVar[_Outbox] = _Outbox()

    @classmethod
    def reset(cls) -> None:
        cls.outbox = _Outbox()

    def send(self, message: Outgoing) -> SendResult:
        if self.outbox.failures:
            raise self.outbox.failures.pop(0)
        self.outbox.sent.append(message)
        return SendResult(provider_message_id=f"memory-{uuid.uuid4().hex[:12]}", segments=None)


class EmailProvider:
    """One of Django's e-mail backends, by dotted path. Anymail's providers give the id they
    gave the message (`anymail_status.message_id`); the others have none."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.name = _email_provider_name(backend)

    def send(self, message: Outgoing) -> SendResult:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
        )
        email.extra_headers["X-Solidarnum-Message"] = message.reference
        try:
            connection = get_connection(self.backend)
            sent = connection.send_messages([email])
        except OSError as error:  # SMTP down, refused connection, timeout
            raise TemporaryError(f"envoi impossible ({type(error).__name__})") from error
        except Exception as error:
            if _is_anymail_recipient_error(error):
                raise RecipientError(type(error).__name__) from error
            if _is_anymail_error(error):
                raise TemporaryError(type(error).__name__) from error
            raise
        if not sent:
            raise TemporaryError("message non accepté")
        status = getattr(email, "anymail_status", None)
        message_id = getattr(status, "message_id", None)
        # anymail's test backend numbers messages from 0: an id of 0 is an id.
        has_id = message_id is not None and message_id != ""
        return SendResult(provider_message_id=str(message_id) if has_id else "")


def _is_anymail_error(error: Exception) -> bool:
    return type(error).__module__.startswith("anymail")


def _is_anymail_recipient_error(error: Exception) -> bool:
    return type(error).__name__ == "AnymailRecipientsRefused"


def _email_provider_name(backend: str) -> str:
    """ "anymail.backends.brevo.EmailBackend" → "brevo"; Django's own → "smtp", "console"..."""
    parts = backend.split(".")
    return parts[-2][:32] if len(parts) >= 2 else backend[:32]


def _sms_backend(path: str) -> SmsBackend:
    backend_class = import_string(path)
    return backend_class()  # built for each use: it reads the settings of the moment


def providers_for(channel: str) -> list[SmsBackend | EmailProvider]:
    """The providers of a channel, in the order they are tried."""
    if channel == Channel.SMS:
        return [_sms_backend(path) for path in settings.NOTIFICATIONS_SMS_BACKENDS]
    backends = [settings.EMAIL_BACKEND]
    if settings.NOTIFICATIONS_EMAIL_FALLBACK_BACKEND:
        backends.append(settings.NOTIFICATIONS_EMAIL_FALLBACK_BACKEND)
    return [EmailProvider(path) for path in backends]


def sms_backend_named(name: str) -> SmsBackend | None:
    for backend in providers_for(Channel.SMS):
        if isinstance(backend, SmsBackend) and backend.name == name:
            return backend
    return None


def webhook_url(provider: str) -> str:
    from django.urls import reverse

    base = settings.NOTIFICATIONS_WEBHOOK_BASE_URL.rstrip("/")
    path = reverse("notifications:webhook_report", kwargs={"provider": provider})
    return f"{base}{path}?secret={settings.NOTIFICATIONS_WEBHOOK_SECRET}"
