"""notify() and the sending: channel and language, on commit, retries, fallback, stale check,
STOP, quiet hours, permanent errors, the purge of texts."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from solidarnum.notifications import messages
from solidarnum.notifications.backends import RecipientError, TemporaryError
from solidarnum.notifications.calendar import PARIS
from solidarnum.notifications.enums import AttemptOutcome, Channel, MessageKind, MessageStatus
from solidarnum.notifications.models import DoubtfulPhone, Message, OptOut
from solidarnum.notifications.notify import Recipient, notify
from solidarnum.notifications.tasks import purge_texts, send_due
from tests.referrals.factories import make_referral

from .stub_server import HANG, StubProvider, closed_port_url

BREVO = "solidarnum.notifications.backends.BrevoSmsBackend"
MEMORY = "solidarnum.notifications.backends.MemorySmsBackend"
TUESDAY_NOON = datetime(2026, 3, 3, 12, 0, tzinfo=PARIS)

VOUCHER_CONTEXT = {
    "code": "K7P-2QX",
    "place": "Paris 19e",
    "address": "12 rue de l'Ourcq, 75019 Paris",
    "hours": "du lundi au vendredi",
    "until": date(2026, 12, 31),
}


@pytest.fixture
def informational():
    """A non-essential SMS template (quiet hours and STOP apply to it)."""
    template = messages.register(
        messages.MessageTemplate(
            key="tests.news",
            title="Nouvelle",
            kind=MessageKind.INFORMATIONAL,
            is_for_person=True,
            variables=("place",),
            sample={"place": "Paris 19e"},
            sms="Un atelier ouvre à %(place)s.",
            channels=(Channel.SMS,),
        )
    )
    yield template
    messages.unregister(template.key)


def send(recipient, template="referrals.voucher", context=None, callbacks=None, **extra):
    with callbacks(execute=True):
        return notify(
            recipient=recipient, template=template, context=context or VOUCHER_CONTEXT, **extra
        )


PHONE = Recipient(phone="+33612345678", languages=("uk", "fr"), prefers="sms")


def test_an_sms_goes_after_commit_in_the_persons_language(
    db, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = notify(recipient=PHONE, template="referrals.voucher", context=VOUCHER_CONTEXT)
        assert sms_outbox.sent == []  # nothing sent inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.language == "uk"
    [sent] = sms_outbox.sent
    assert sent.to == "+33612345678"
    assert "Направлення K7P-2QX" in sent.body
    assert message.attempts.get().outcome == AttemptOutcome.ACCEPTED


def test_a_rolled_back_change_sends_nothing(db, sms_outbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(recipient=PHONE, template="referrals.voucher", context=VOUCHER_CONTEXT)
                raise RuntimeError
        except RuntimeError:
            pass
    assert sms_outbox.sent == []
    assert not Message.objects.exists()


def test_email_when_the_person_prefers_it(db, sms_outbox, django_capture_on_commit_callbacks):
    person = Recipient(phone="+33612345678", email="awa@example.org", prefers="email")
    message = send(person, callbacks=django_capture_on_commit_callbacks)
    assert message.channel == Channel.EMAIL
    [email] = mail.outbox
    assert email.to == ["awa@example.org"]
    assert "K7P-2QX" in email.subject
    assert sms_outbox.sent == []


def test_nobody_to_write_to_gives_no_message(db):
    assert (
        notify(recipient=Recipient(), template="referrals.voucher", context=VOUCHER_CONTEXT) is None
    )


def test_a_missing_variable_is_refused(db):
    with pytest.raises(messages.MissingVariable):
        notify(recipient=PHONE, template="referrals.voucher", context={"code": "X"})


def test_french_sms_are_folded_to_gsm(db, sms_outbox, django_capture_on_commit_callbacks):
    message = send(
        Recipient(phone="+33612345678"),
        context={**VOUCHER_CONTEXT, "place": "Fenêtre Saint-Maître"},
        callbacks=django_capture_on_commit_callbacks,
    )
    assert "Fenetre Saint-Maitre" in sms_outbox.sent[0].body
    assert message.segments == 2


# --- Provider outage: the local stub server -------------------------------------------------


@pytest.fixture
def brevo(settings):
    settings.BREVO_API_KEY = "test-key"
    settings.NOTIFICATIONS_HTTP_TIMEOUT = 0.3
    settings.NOTIFICATIONS_SMS_BACKENDS = [BREVO, MEMORY]  # Brevo, then the fallback
    return settings


def test_brevo_receives_the_sms_and_its_answer_is_logged(
    db, brevo, sms_outbox, django_capture_on_commit_callbacks
):
    with StubProvider() as stub:
        brevo.NOTIFICATIONS_BREVO_API_URL = stub.url
        stub.answers = [(201, {"messageId": 4242, "smsCount": 2, "usedCredits": 2.5})]
        message = send(
            Recipient(phone="+33612345678"), callbacks=django_capture_on_commit_callbacks
        )
    message.refresh_from_db()
    [request] = stub.requests
    assert request["path"] == "/v3/transactionalSMS/sms"
    assert request["api_key"] == "test-key"
    assert request["body"]["recipient"] == "33612345678"
    assert request["body"]["type"] == "transactional"
    assert (message.status, message.provider, message.provider_message_id) == (
        MessageStatus.SENT,
        "brevo",
        "4242",
    )
    assert message.segments == 2 and str(message.cost) == "2.5000"
    assert sms_outbox.sent == []


def test_a_timeout_and_an_error_are_retried_with_the_same_provider(
    db, brevo, sms_outbox, django_capture_on_commit_callbacks
):
    """The API times out, then answers 503, then accepts: the third try goes through."""
    with StubProvider() as stub:
        brevo.NOTIFICATIONS_BREVO_API_URL = stub.url
        stub.answers = [HANG, (503, {"code": "unavailable"}), (201, {"messageId": 7})]
        message = send(PHONE, callbacks=django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert list(message.attempts.values_list("provider", "outcome", "error")) == [
        ("brevo", AttemptOutcome.TEMPORARY, "délai dépassé"),
        ("brevo", AttemptOutcome.TEMPORARY, "HTTP 503"),
        ("brevo", AttemptOutcome.ACCEPTED, ""),
    ]
    assert (message.status, message.provider_message_id) == (MessageStatus.SENT, "7")
    assert sms_outbox.sent == []


def test_a_provider_down_loses_no_message_and_the_log_shows_every_attempt(
    db, brevo, sms_outbox, django_capture_on_commit_callbacks
):
    brevo.NOTIFICATIONS_BREVO_API_URL = closed_port_url()
    message = send(PHONE, callbacks=django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert list(message.attempts.values_list("provider", "outcome")) == [
        ("brevo", AttemptOutcome.TEMPORARY),
        ("brevo", AttemptOutcome.TEMPORARY),
        ("brevo", AttemptOutcome.TEMPORARY),
        ("memory", AttemptOutcome.ACCEPTED),
    ]
    assert message.status == MessageStatus.SENT
    assert message.provider == "memory"
    assert len(sms_outbox.sent) == 1


def test_a_refusing_provider_goes_straight_to_the_fallback(
    db, brevo, sms_outbox, django_capture_on_commit_callbacks
):
    with StubProvider() as stub:
        brevo.NOTIFICATIONS_BREVO_API_URL = stub.url
        stub.answers = [(402, {"code": "not_enough_credits"})]
        message = send(PHONE, callbacks=django_capture_on_commit_callbacks)
    assert list(message.attempts.values_list("provider", "outcome")) == [
        ("brevo", AttemptOutcome.PROVIDER),
        ("memory", AttemptOutcome.ACCEPTED),
    ]


def test_without_a_fallback_the_message_fails_after_its_attempts(
    db, settings, sms_outbox, django_capture_on_commit_callbacks
):
    sms_outbox.failures = [TemporaryError("HTTP 503")] * 3
    message = send(PHONE, callbacks=django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error == "HTTP 503"
    assert message.attempts.count() == settings.NOTIFICATIONS_MAX_ATTEMPTS


def test_with_a_broker_a_retry_is_queued_with_its_backoff(
    db, settings, sms_outbox, monkeypatch, django_capture_on_commit_callbacks
):
    from solidarnum.notifications import tasks

    queued = []
    monkeypatch.setattr(
        tasks.deliver_message, "apply_async", lambda args, countdown: queued.append(countdown)
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sms_outbox.failures = [TemporaryError("délai dépassé")]
    with django_capture_on_commit_callbacks() as callbacks:
        message = notify(recipient=PHONE, template="referrals.voucher", context=VOUCHER_CONTEXT)
    tasks.deliver(message.pk)  # what the worker runs
    assert queued == [30.0]
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.not_before is not None
    assert len(callbacks) == 1


def test_a_wrong_number_fails_at_once_and_marks_the_phone_doubtful(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    from solidarnum.referrals import services

    referral = make_referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    sms_outbox.failures = [RecipientError("HTTP 400 invalid_parameter")]
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_voucher_to_person(
            acting_user=world.users["staff_a"], referral=referral
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts.count() == 1
    assert DoubtfulPhone.objects.filter(
        beneficiary=referral.beneficiary, phone="+33612345678"
    ).exists()


# --- No stale message -------------------------------------------------------------------------


def test_a_message_about_a_referral_changed_since_is_not_sent(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    from solidarnum.referrals import notifications as referral_messages
    from solidarnum.referrals import services
    from solidarnum.referrals.enums import ReferralStatus
    from solidarnum.referrals.models import Referral

    referral = make_referral(world)
    with django_capture_on_commit_callbacks() as callbacks:
        message = referral_messages.send_voucher(referral)
    # Expired before the queue got to it.
    services.expire_referral(referral=referral)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.EXPIRED
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    assert "a changé" in message.error
    assert sms_outbox.sent == []


def test_a_message_about_an_unchanged_referral_is_sent(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    from solidarnum.referrals import notifications as referral_messages

    referral = make_referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        message = referral_messages.send_voucher(referral)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


# --- STOP and quiet hours: non-essential messages only ---------------------------------------


def test_stop_blocks_informational_sms_but_not_essential_ones(
    db, informational, sms_outbox, django_capture_on_commit_callbacks
):
    OptOut.objects.create(phone="+33612345678")
    with time_machine.travel(TUESDAY_NOON, tick=False):
        news = send(PHONE, "tests.news", {"place": "Lyon"}, django_capture_on_commit_callbacks)
        voucher = send(PHONE, callbacks=django_capture_on_commit_callbacks)
    news.refresh_from_db()
    voucher.refresh_from_db()
    assert news.status == MessageStatus.CANCELLED and "STOP" in news.error
    assert voucher.status == MessageStatus.SENT


def test_informational_sms_wait_for_the_allowed_hours(
    db, informational, sms_outbox, django_capture_on_commit_callbacks
):
    saturday_night = datetime(2026, 3, 7, 22, 0, tzinfo=PARIS)
    with time_machine.travel(saturday_night, tick=False):
        news = send(PHONE, "tests.news", {"place": "Lyon"}, django_capture_on_commit_callbacks)
        voucher = send(PHONE, callbacks=django_capture_on_commit_callbacks)
        assert send_due() == 0
    news.refresh_from_db()
    voucher.refresh_from_db()
    assert voucher.status == MessageStatus.SENT  # transactional: any hour
    assert news.status == MessageStatus.PENDING
    assert news.not_before == datetime(2026, 3, 9, 8, 0, tzinfo=PARIS)
    with time_machine.travel(datetime(2026, 3, 9, 8, 5, tzinfo=PARIS), tick=False):
        assert send_due() == 1
    news.refresh_from_db()
    assert news.status == MessageStatus.SENT


def test_the_sweep_sends_a_message_whose_task_was_lost(
    db, sms_outbox, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(TUESDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(),  # the broker lost it
    ):
        message = notify(recipient=PHONE, template="referrals.voucher", context=VOUCHER_CONTEXT)
    with time_machine.travel(TUESDAY_NOON + timedelta(minutes=20), tick=False):
        assert send_due() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


# --- Retention of texts ----------------------------------------------------------------------


def test_texts_are_purged_after_the_delay_and_the_metadata_stays(
    db, settings, sms_outbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(TUESDAY_NOON, tick=False):
        message = send(PHONE, callbacks=django_capture_on_commit_callbacks)
    days = settings.NOTIFICATIONS_TEXT_RETENTION_DAYS
    assert purge_texts(now=TUESDAY_NOON + timedelta(days=days - 1)) == 0
    assert purge_texts(now=TUESDAY_NOON + timedelta(days=days + 1)) == 1
    message.refresh_from_db()
    assert message.body == "" and message.subject == ""
    assert message.recipient == "+33 •• •• •• •• 78"
    assert message.status == MessageStatus.SENT and message.template == "referrals.voucher"


def test_no_personal_data_in_the_logs(
    db, brevo, sms_outbox, caplog, django_capture_on_commit_callbacks
):
    brevo.NOTIFICATIONS_BREVO_API_URL = closed_port_url()
    with caplog.at_level("DEBUG"):
        send(PHONE, callbacks=django_capture_on_commit_callbacks)
    logged = caplog.text
    assert "612345678" not in logged and "K7P-2QX" not in logged


def test_brevo_is_told_when_the_text_is_unicode(
    db, brevo, sms_outbox, django_capture_on_commit_callbacks
):
    """Brevo folds every non-GSM character unless `unicodeEnabled` (its documentation): a French
    text stays GSM, an Ukrainian one is sent as Unicode."""
    from solidarnum.notifications.backends import BrevoSmsBackend, Outgoing

    with StubProvider() as stub:
        brevo.NOTIFICATIONS_BREVO_API_URL = stub.url
        stub.answers = [(201, {"messageId": 1}), (201, {"messageId": 2})]
        backend = BrevoSmsBackend()
        backend.send(Outgoing(reference="1", to="+33612345678", body="Ticket payé à Paris"))
        backend.send(Outgoing(reference="2", to="+33612345678", body="Чек, сплачено 4 €"))
    assert [r["body"]["unicodeEnabled"] for r in stub.requests] == [False, True]
