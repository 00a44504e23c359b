"""E-mail delivery reports: anymail's tracking webhooks (Brevo's payload here), authenticated by
HTTP basic auth as anymail documents, move a message forward in the log."""

import base64
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidarnum.notifications.enums import Channel, MessageStatus
from solidarnum.notifications.models import Message
from solidarnum.notifications.notify import Recipient, notify

AUTH = "anymail:test-webhook-secret"  # config/settings_test.py, ANYMAIL["WEBHOOK_SECRET"]


def _auth(value=AUTH):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(value.encode()).decode()}


def _url(provider="brevo"):
    return reverse("notifications:webhook_email", kwargs={"provider": provider})


def _brevo(event, message_id):
    """A transactional e-mail event as Brevo posts it (developers.brevo.com, transactional
    webhooks), the fields anymail reads."""
    return {
        "event": event,
        "email": "personne@example.org",
        "id": 123456,
        "date": "2026-12-01 16:20:00",
        "ts": 1764602400,
        "message-id": message_id,
        "ts_event": 1764602400,
        "subject": "Votre bon d'orientation",
        "ts_epoch": 1764602400123,
        "reason": "550 5.1.1 <personne@example.org>: user unknown",
    }


@pytest.fixture
def sent_email(db, django_capture_on_commit_callbacks):
    """An e-mail sent through anymail's test backend, which gives it a message id."""
    with (
        override_settings(EMAIL_BACKEND="anymail.backends.test.EmailBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = notify(
            recipient=Recipient.of_email("personne@example.org"),
            template="referrals.voucher",
            context={
                "code": "K7P-2QX",
                "place": "Paris 19e",
                "address": "12 rue de l'Ourcq",
                "hours": "9h-17h",
                "until": "31/12/2026",
            },
            channel=Channel.EMAIL,
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.provider_message_id
    return message


def _post(client, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(_url(), data=data, content_type="application/json", **headers)


def test_delivered_then_replayed(client, sent_email):
    body = _brevo("delivered", sent_email.provider_message_id)
    assert _post(client, body, **_auth()).status_code == 200
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.DELIVERED and sent_email.delivered_at
    at = sent_email.delivered_at
    assert _post(client, body, **_auth()).status_code == 200
    # A late bounce after delivery changes nothing either.
    _post(client, _brevo("hard_bounce", sent_email.provider_message_id), **_auth())
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.DELIVERED and sent_email.delivered_at == at


@pytest.mark.parametrize("event", ["hard_bounce", "blocked", "invalid_email", "error"])
def test_bounced_or_rejected_is_a_failure_without_the_address(client, sent_email, event):
    assert (
        _post(client, _brevo(event, sent_email.provider_message_id), **_auth()).status_code == 200
    )
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.FAILED
    assert "example.org" not in sent_email.error and sent_email.error.startswith("e-mail ")


@pytest.mark.parametrize("event", ["request", "deferred", "opened", "click", "unsubscribe"])
def test_other_events_change_nothing(client, sent_email, event):
    assert (
        _post(client, _brevo(event, sent_email.provider_message_id), **_auth()).status_code == 200
    )
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.SENT


def test_unknown_message_is_ignored(client, sent_email):
    assert _post(client, _brevo("delivered", "<nobody@smtp-relay>"), **_auth()).status_code == 200
    assert Message.objects.filter(status=MessageStatus.DELIVERED).count() == 0


@pytest.mark.parametrize("auth", [None, "anymail:wrong", "other:test-webhook-secret"])
def test_bad_basic_auth_is_refused(client, sent_email, auth):
    headers = _auth(auth) if auth else {}
    body = _brevo("delivered", sent_email.provider_message_id)
    assert _post(client, body, **headers).status_code == 403
    sent_email.refresh_from_db()
    assert sent_email.status == MessageStatus.SENT


def test_no_secret_configured_refuses_everything(client, sent_email, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    body = _brevo("delivered", sent_email.provider_message_id)
    assert _post(client, body, **_auth()).status_code == 403


def test_an_unknown_provider_is_ignored(client):
    response = client.post(_url("inconnu"), data="{}", content_type="application/json", **_auth())
    assert response.status_code == 200 and response.json()["status"] == "ignored"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=10), inner, max_size=4)
            ),
            max_leaves=12,
        ).map(json.dumps),
    )
)
def test_fuzzed_bodies_never_give_a_500(client, db, body):
    response = client.post(_url(), data=body, content_type="application/json", **_auth())
    assert response.status_code in (200, 400)
