"""The providers' webhooks: the secret, idempotent reports, unknown ids, STOP, fuzzed bodies."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidarnum.notifications.enums import MessageStatus
from solidarnum.notifications.models import DoubtfulPhone, OptOut

from .factories import make_message

SECRET = "test-webhook-secret"  # config/settings_test.py


def report_url(provider="memory", secret=SECRET):
    url = reverse("notifications:webhook_report", kwargs={"provider": provider})
    return f"{url}?secret={secret}" if secret is not None else url


def inbound_url(provider="memory", secret=SECRET):
    url = reverse("notifications:webhook_inbound", kwargs={"provider": provider})
    return f"{url}?secret={secret}"


def post(client, url, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


def delivered(message_id, **extra):
    return {"messageId": message_id, "msg_status": "delivered", **extra}


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_a_bad_secret_is_refused(db, client, secret):
    message = make_message(provider_message_id="m-1")
    response = post(client, report_url(secret=secret), delivered("m-1"))
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_without_a_configured_secret_every_call_is_refused(db, client, settings):
    settings.NOTIFICATIONS_WEBHOOK_SECRET = ""
    assert post(client, report_url(secret=""), delivered("m-1")).status_code == 403


def test_the_secret_may_come_in_a_header(db, client):
    make_message(provider_message_id="m-1")
    response = client.post(
        report_url(secret=None),
        data=json.dumps(delivered("m-1")),
        content_type="application/json",
        headers={"X-Webhook-Secret": SECRET},
    )
    assert response.status_code == 200


def test_a_delivery_report_marks_the_message_delivered_with_its_cost(db, client):
    message = make_message(provider_message_id="m-1", segments=None)
    response = post(client, report_url(), delivered("m-1", credits_used=1.5, sms_count=2))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "changed": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at
    assert str(message.cost) == "1.5000" and message.segments == 2


def test_a_replayed_report_changes_nothing(db, client):
    message = make_message(provider_message_id="m-1")
    post(client, report_url(), delivered("m-1"))
    message.refresh_from_db()
    first = message.delivered_at
    response = post(client, report_url(), delivered("m-1"))
    assert response.json() == {"status": "ignored", "changed": 0}
    message.refresh_from_db()
    assert message.delivered_at == first


def test_a_late_failure_after_delivery_changes_nothing(db, client):
    message = make_message(provider_message_id="m-1")
    post(client, report_url(), delivered("m-1"))
    post(client, report_url(), {"messageId": "m-1", "msg_status": "hard_bounce"})
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_an_unknown_message_is_ignored_with_200(db, client):
    response = post(client, report_url(), delivered("nobody"))
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"


def test_an_unknown_provider_is_ignored_with_200(db, client):
    assert post(client, report_url(provider="ailleurs"), delivered("m-1")).status_code == 200


def test_a_report_from_another_provider_does_not_touch_our_message(db, client, settings):
    message = make_message(provider="brevo", provider_message_id="m-1")
    post(client, report_url(provider="memory"), delivered("m-1"))
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_hard_bounce_fails_the_message_and_marks_the_phone(world, client):
    from solidarnum.beneficiaries.models import Beneficiary

    beneficiary = Beneficiary.objects.create(
        first_name="Awa",
        last_name="Diallo",
        birth_year=1985,
        phone="+33612345678",
        housing="sheltered",
        reception_point=world.site_a,
    )
    message = make_message(provider_message_id="m-1", beneficiary=beneficiary)
    body = {"messageId": "m-1", "msg_status": "hardBounce", "description": "unknown number"}
    assert post(client, report_url(), body).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error == "unknown number"
    assert DoubtfulPhone.objects.filter(beneficiary=beneficiary, phone="+33612345678").exists()


def test_a_soft_bounce_fails_without_marking_the_phone(db, client):
    message = make_message(provider_message_id="m-1")
    post(client, report_url(), {"messageId": "m-1", "msg_status": "soft_bounce"})
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert not DoubtfulPhone.objects.exists()


def test_a_batch_of_reports(db, client):
    make_message(provider_message_id="m-1")
    make_message(provider_message_id="m-2")
    response = post(client, report_url(), [delivered("m-1"), delivered("m-2"), delivered("m-3")])
    assert response.json() == {"status": "ok", "changed": 2}


@pytest.mark.parametrize("text", ["STOP", "stop", " Stop. ", "ARRET", "arrêt"])
def test_a_stop_reply_opts_the_number_out(db, client, text):
    response = post(client, inbound_url(), {"from": "33612345678", "reply": text})
    assert response.json() == {"status": "ok"}
    assert OptOut.objects.filter(phone="+33612345678").exists()


def test_a_stop_reply_twice_keeps_one_row(db, client):
    post(client, inbound_url(), {"from": "33612345678", "reply": "STOP"})
    post(client, inbound_url(), {"from": "33612345678", "reply": "STOP"})
    assert OptOut.objects.count() == 1


def test_another_reply_is_ignored(db, client):
    response = post(client, inbound_url(), {"from": "33612345678", "reply": "Merci !"})
    assert response.json() == {"status": "ignored"}
    assert not OptOut.objects.exists()


def test_an_unsubscribe_event_counts_as_stop(db, client):
    post(client, inbound_url(), {"to": "33612345678", "msg_status": "unsubscribe"})
    assert OptOut.objects.filter(phone="+33612345678").exists()


def test_inbound_needs_the_secret_too(db, client):
    response = post(client, inbound_url(secret="wrong"), {"from": "33612345678", "reply": "STOP"})
    assert response.status_code == 403
    assert not OptOut.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        b"\xff\xfe",
        "[]",
        "null",
        "42",
        '"STOP"',
        "{}",
        '{"messageId": null}',
        '{"messageId": true, "msg_status": "delivered"}',
        '{"messageId": {"a": 1}, "msg_status": "delivered"}',
        '{"messageId": "m", "msg_status": 5}',
        '{"messageId": "m", "msg_status": "delivered", "credits_used": "NaN"}',
        '{"messageId": "m", "msg_status": "delivered", "sms_count": -4}',
        '{"from": "+33 6", "reply": "STOP"}',
        '{"from": ["33612345678"], "reply": "STOP"}',
        "[" * 5000,
        "x" * 70000,
    ],
)
def test_malformed_bodies_answer_without_error(db, client, body):
    for url in (report_url(), inbound_url()):
        assert post(client, url, body).status_code in (200, 400)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["messageId", "msg_status", "credits_used", "sms_count", "from", "reply", "to", "x"]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=json_values)
def test_fuzzed_payloads_never_give_a_500(db, client, payload):
    for url in (report_url(), inbound_url()):
        response = post(client, url, json.dumps(payload, allow_nan=True))
        assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("msg_status", "status"),
    [
        ("sent", MessageStatus.SENT),
        ("delivered", MessageStatus.DELIVERED),
        ("soft_bounce", MessageStatus.FAILED),
        ("hard_bounce", MessageStatus.FAILED),
    ],
)
def test_brevos_documented_sms_payload(db, client, msg_status, status):
    """The body of Brevo's transactional SMS webhook as its documentation gives it
    (developers.brevo.com/docs/transactional-webhooks): an integer `messageId`, `msg_status` in
    snake case, `credits_used` a float."""
    message = make_message(provider_message_id="123", status=MessageStatus.PENDING)
    body = {
        "id": 26570,
        "to": "33612345678",
        "sms_count": 1,
        "credits_used": 1.5,
        "messageId": 123,
        "remaining_credit": 11488.845,
        "msg_status": msg_status,
        "date": "2026-12-01 16:20:00",
        "type": "transactional",
        "reference": "ab1cde2fgh3i4jklmno",
    }
    assert post(client, report_url(), body).status_code == 200
    message.refresh_from_db()
    assert message.status == status
    assert str(message.cost) == "1.5000" and message.segments == 1
