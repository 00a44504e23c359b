"""The delivery log, a message's page, the template preview, the person's file, the voucher."""

import pytest
from django.urls import reverse

from solidarnum.notifications.enums import AttemptOutcome, MessageStatus
from solidarnum.notifications.models import Attempt, DoubtfulPhone, Message, OptOut
from solidarnum.privacy.models import AuditAction, AuditEvent
from tests.beneficiaries import make_beneficiary
from tests.pages import count_queries, messages_of
from tests.referrals.factories import make_referral

from .factories import make_message


def file_url(beneficiary):
    """The "Messages" tab of the person's file (ADR 0045)."""
    path = reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": beneficiary.public_id})
    return path + "?onglet=messages"


# --- The log --------------------------------------------------------------------------------


def test_the_log_masks_recipients(world, clients):
    make_message(reception_point=world.site_a, recipient="+33612345678")
    make_message(reception_point=world.site_a, recipient="awa.diallo@example.org", channel="email")
    response = clients["staff_a"].get(reverse("notifications:message_list"))
    content = response.content.decode()
    assert "+33 •• •• •• •• 78" in content and "a•••@example.org" in content
    assert "612345678" not in content and "awa.diallo" not in content


def test_a_site_sees_only_its_messages_and_the_admin_all(world, clients):
    mine = make_message(reception_point=world.site_a)
    other = make_message(reception_point=world.site_b)
    ids = lambda client: {  # noqa: E731
        row.pk for row in client.get(reverse("notifications:message_list")).context["table"].data
    }
    assert ids(clients["staff_a"]) == {mine.pk}
    assert ids(clients["staff_b"]) == {other.pk}
    assert ids(clients["admin"]) == {mine.pk, other.pk}


def test_the_log_filters_by_status(world, clients):
    make_message(reception_point=world.site_a, status=MessageStatus.FAILED)
    delivered = make_message(reception_point=world.site_a, status=MessageStatus.DELIVERED)
    response = clients["staff_a"].get(
        reverse("notifications:message_list"), {"status": "delivered"}
    )
    assert [row.pk for row in response.context["table"].data] == [delivered.pk]


def test_the_log_costs_the_same_queries_with_more_rows(world, clients):
    path = reverse("notifications:message_list")
    make_message(reception_point=world.site_a)
    few = count_queries(clients["staff_a"], path)
    for _ in range(8):
        message = make_message(reception_point=world.site_a)
        Attempt.objects.create(message=message, provider="memory", outcome=AttemptOutcome.ACCEPTED)
    assert count_queries(clients["staff_a"], path) == few


def test_a_message_page_shows_its_attempts_and_masks_the_recipient(world, clients):
    message = make_message(reception_point=world.site_a, status=MessageStatus.SENT)
    Attempt.objects.create(
        message=message, provider="brevo", outcome=AttemptOutcome.TEMPORARY, error="HTTP 503"
    )
    Attempt.objects.create(message=message, provider="memory", outcome=AttemptOutcome.ACCEPTED)
    response = clients["staff_a"].get(
        reverse("notifications:message_detail", kwargs={"pk": message.pk})
    )
    content = response.content.decode()
    assert "brevo" in content and "HTTP 503" in content and "memory" in content
    assert "+33 •• •• •• •• 78" in content and "612345678" not in content
    assert "envoyé" in content


def test_a_purged_message_says_its_text_is_gone(world, clients):
    from django.utils import timezone

    message = make_message(reception_point=world.site_a, body="", text_purged_at=timezone.now())
    response = clients["staff_a"].get(
        reverse("notifications:message_detail", kwargs={"pk": message.pk})
    )
    assert "Le texte a été effacé" in response.content.decode()


def test_the_preview_lists_every_template_and_links_each_one(world, clients):
    from solidarnum.notifications import messages

    response = clients["admin"].get(reverse("notifications:template_preview"))
    content = response.content.decode()
    for template in messages.all_templates():
        url = reverse("notifications:template_detail", kwargs={"key": template.key})
        assert f'href="{url}"' in content
    # The list names the templates; their texts in every language are on their own pages.
    assert "Направлення K7P-2QX" not in content
    assert len(response.content) < 20_000


def test_an_unknown_template_answers_404(world, clients):
    url = reverse("notifications:template_detail", kwargs={"key": "nothing.here"})
    assert clients["admin"].get(url).status_code == 404


def test_the_preview_shows_each_template_in_each_language(world, clients):
    response = clients["admin"].get(
        reverse("notifications:template_detail", kwargs={"key": "referrals.voucher"})
    )
    content = response.content.decode()
    assert "Направлення K7P-2QX" in content  # Ukrainian
    assert "قسيمة التوجيه K7P-2QX" in content  # Arabic
    assert "برگه معرفی K7P-2QX" in content  # Dari
    assert "Referral voucher K7P-2QX" in content
    assert "segments" in content and "UCS-2" in content
    assert "<code>hours</code>" in content


# --- The person's file ----------------------------------------------------------------------


def test_the_file_warns_when_the_last_sms_was_not_received(world, clients):
    beneficiary = make_beneficiary(world)
    DoubtfulPhone.objects.create(beneficiary=beneficiary, phone="+33612345678")
    content = clients["staff_a"].get(file_url(beneficiary)).content.decode()
    assert (
        "Le dernier SMS n&#x27;a pas été reçu." in content
        or "Le dernier SMS n'a pas été reçu." in content
    )


def test_the_warning_goes_once_the_phone_is_corrected(world, clients):
    beneficiary = make_beneficiary(world)
    DoubtfulPhone.objects.create(beneficiary=beneficiary, phone="+33612345678")
    beneficiary.phone = "+33698765432"
    beneficiary.save()
    content = clients["staff_a"].get(file_url(beneficiary)).content.decode()
    assert "pas été reçu" not in content


def test_the_file_shows_a_stop_reply(world, clients):
    beneficiary = make_beneficiary(world)
    OptOut.objects.create(phone="+33612345678")
    content = clients["staff_a"].get(file_url(beneficiary)).content.decode()
    assert "a répondu STOP" in content


def test_the_file_section_costs_the_same_with_more_messages(world, clients):
    beneficiary = make_beneficiary(world)
    make_message(beneficiary=beneficiary)
    few = count_queries(clients["staff_a"], file_url(beneficiary))
    for _ in range(8):
        make_message(beneficiary=beneficiary)
    DoubtfulPhone.objects.create(beneficiary=beneficiary, phone="+33612345678")
    OptOut.objects.create(phone="+33612345678")
    assert count_queries(clients["staff_a"], file_url(beneficiary)) == few


# --- The voucher, sent from a referral ------------------------------------------------------


def voucher_url(referral):
    return reverse("referrals:referral_send_voucher", kwargs={"reference": referral.reference})


def test_staff_send_the_voucher_by_sms(
    world, clients, sms_outbox, django_capture_on_commit_callbacks
):
    referral = make_referral(world, languages=["ar"])
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["staff_a"].post(voucher_url(referral))
    assert response.status_code == 302
    [sent] = sms_outbox.sent
    assert sent.to == "+33612345678"
    assert referral.reference in sent.body and "Paris 19e" in sent.body
    assert "قسيمة التوجيه" in sent.body  # the person's first language
    # Nothing of the person's situation, needs or notes.
    for private in ("ordinateur", "Démarches", "sheltered", "Diallo"):
        assert private not in sent.body
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    assert message.object_type == "referrals.referral"
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="referrals.referral", object_id=str(referral.pk)
    ).exists()
    follow = clients["staff_a"].get(response["Location"])
    assert "Le bon part par SMS au +33 •• •• •• •• 78." in messages_of(follow)


def test_the_voucher_goes_by_email_to_who_prefers_it(
    world, clients, sms_outbox, django_capture_on_commit_callbacks
):
    from django.core import mail

    referral = make_referral(world, email="awa@example.org", contact_preference="email")
    with django_capture_on_commit_callbacks(execute=True):
        clients["staff_a"].post(voucher_url(referral))
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]
    assert sms_outbox.sent == []


def test_a_refused_referral_cannot_be_sent(world, clients, sms_outbox):
    from solidarnum.referrals.models import RefusalReason
    from solidarnum.referrals.services import refuse_referral

    referral = make_referral(world)
    reason = RefusalReason.objects.filter(is_active=True).first() or RefusalReason.objects.create(
        code="x", label="Hors territoire"
    )
    refuse_referral(acting_user=world.users["staff_a"], referral=referral, reason=reason)
    Message.objects.all().delete()
    response = clients["staff_a"].post(voucher_url(referral))
    assert response.status_code == 400
    assert "ne peut plus être envoyé" in response.content.decode()
    assert not Message.objects.exists()


def test_without_phone_nor_email_the_staff_is_told_to_print_it(world, clients):
    referral = make_referral(world, phone="", has_no_phone=True, contact_preference="referent")
    response = clients["staff_a"].post(voucher_url(referral))
    assert response.status_code == 400
    assert "remettez-lui le bon imprimé" in response.content.decode()
    assert not Message.objects.filter(template="referrals.voucher").exists()


def test_another_site_cannot_send_the_voucher(world, clients):
    referral = make_referral(world)
    assert clients["staff_b"].post(voucher_url(referral)).status_code == 404
    assert not Message.objects.filter(template="referrals.voucher").exists()


@pytest.mark.parametrize("method", ["get"])
def test_sending_is_a_post(world, clients, method):
    referral = make_referral(world)
    assert getattr(clients["staff_a"], method)(voucher_url(referral)).status_code == 405


def test_the_referral_page_offers_the_voucher_by_sms(world, clients):
    referral = make_referral(world)
    response = clients["staff_a"].get(
        reverse("referrals:referral_detail", kwargs={"reference": referral.reference})
    )
    assert "Envoyer le bon par SMS" in response.content.decode()


# --- Correcting a refused number ------------------------------------------------------------


def phone_url(beneficiary):
    return reverse("notifications:phone_correct", kwargs={"public_id": beneficiary.public_id})


def test_staff_correct_a_refused_number_and_the_warning_goes(world, clients):
    beneficiary = make_beneficiary(world)
    DoubtfulPhone.objects.create(beneficiary=beneficiary, phone="+33612345678")
    content = clients["staff_a"].get(file_url(beneficiary)).content.decode()
    assert phone_url(beneficiary) in content
    response = clients["staff_a"].post(phone_url(beneficiary), {"phone": "06 98 76 54 32"})
    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert beneficiary.phone == "+33698765432"
    assert "pas été reçu" not in clients["staff_a"].get(file_url(beneficiary)).content.decode()
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        object_type="beneficiaries.beneficiary",
        object_id=str(beneficiary.pk),
    ).latest("at")
    assert "phone" in event.changed_fields


@pytest.mark.parametrize("phone", ["", "12", "06 12 34 56 78"])
def test_a_wrong_or_unchanged_number_saves_nothing(world, clients, phone):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(phone_url(beneficiary), {"phone": phone})
    assert response.status_code == 400
    assert "rien n&#x27;a été enregistré" in response.content.decode()
    beneficiary.refresh_from_db()
    assert beneficiary.phone == "+33612345678"


def test_the_voucher_sent_before_the_file_shows_on_the_file_once_it_exists(
    world, clients, sms_outbox, django_capture_on_commit_callbacks
):
    """Sent while the referral is pending (no file yet), the voucher SMS joins the person's file
    when the referral is validated: the file's "Messages" names it, as the other messages."""
    from solidarnum.referrals.services import validate_referral

    referral = make_referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        clients["staff_a"].post(voucher_url(referral))
    message = Message.objects.get()
    assert message.beneficiary_id is None
    referral = validate_referral(acting_user=world.users["manager_a"], referral=referral)
    message.refresh_from_db()
    assert message.beneficiary_id == referral.beneficiary_id
    page = clients["staff_a"].get(file_url(referral.beneficiary)).content.decode()
    assert "Bon d&#x27;orientation envoyé à la personne" in page
    # Sent again after the validation, it is on the file at once.
    with django_capture_on_commit_callbacks(execute=True):
        clients["staff_a"].post(voucher_url(referral))
    assert Message.objects.filter(beneficiary_id=referral.beneficiary_id).count() == 2
