"""E-mails to the référent: the status, and a link back to the referral's follow-up."""

from django.core import mail
from django.urls import reverse

from solidarnum.referrals import services

from .factories import make_referral


def test_the_validation_email_links_back_to_the_follow_up(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_BASE_URL = "https://solidarnum.example.org"
    referral = make_referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    [message] = mail.outbox
    path = reverse("referrals:referent_referral_detail", kwargs={"reference": referral.reference})
    assert f"https://solidarnum.example.org{path}" in message.body
    assert "Diallo" not in message.body  # first name only


def test_without_a_base_url_the_email_names_the_page_instead(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_BASE_URL = ""
    referral = make_referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(acting_user=world.users["staff_a"], referral=referral)
    [message] = mail.outbox
    assert "http" not in message.body
    assert "« Suivi de mes orientations »" in message.body


def test_the_digest_and_the_reminder_link_to_their_page(
    world, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from solidarnum.referrals.digest import render_digest
    from solidarnum.referrals.tasks import send_reminders

    settings.SITE_BASE_URL = "https://solidarnum.example.org"
    referral = make_referral(world)
    _subject, body = render_digest([referral], timezone.now() - timedelta(days=7))
    assert f"https://solidarnum.example.org{reverse('referrals:referent_referral_list')}" in body
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(now=timezone.now() + timedelta(days=settings.REFERRAL_REMINDER_DAYS + 1))
    assert any(
        f"https://solidarnum.example.org{reverse('referrals:referral_inbox')}" in m.body
        for m in mail.outbox
    )
