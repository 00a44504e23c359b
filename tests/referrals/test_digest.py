"""The référents' weekly digest."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from solidarnum.accounts.models import Membership
from solidarnum.referrals import services
from solidarnum.referrals.digest import (
    send_weekly_digests,
    send_weekly_digests_task,
    set_digest_subscription,
)
from solidarnum.referrals.models import DigestSubscription

from .factories import make_referral

MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
LAST_WEEK = MONDAY - timedelta(days=4)


@pytest.fixture
def subscribed(world):
    return set_digest_subscription(acting_user=world.users["referent"], is_active=True)


@pytest.fixture
def digests(django_capture_on_commit_callbacks):
    """Run the digests; the e-mails, queued in the transaction, are sent when it commits."""

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return send_weekly_digests(now=now)

    return run


def referral_at(world, when, **extra):
    with time_machine.travel(when, tick=False):
        return make_referral(world, **extra)


def test_the_digest_sums_up_the_week_with_first_names_only(digests, world, subscribed):
    open_one = referral_at(world, LAST_WEEK, first_name="Awa", last_name="Diallo")
    validated = referral_at(world, LAST_WEEK, first_name="Hélène", last_name="Lefèvre")
    with time_machine.travel(LAST_WEEK + timedelta(days=1), tick=False):
        services.validate_referral(acting_user=world.users["staff_a"], referral=validated)
    assert digests(now=MONDAY) == 1
    message = mail.outbox[-1]
    assert message.to == [world.users["referent"].email]
    assert "2 bons mis à jour" in message.subject
    assert "- Ouverte : 1" in message.body
    assert "- Validée : 1" in message.body
    assert f"{open_one.reference} · Awa · Ouverte · Paris 19e" in message.body
    assert f"{validated.reference} · Hélène · Validée" in message.body
    assert "Diallo" not in message.body and "Lefèvre" not in message.body
    subscribed.refresh_from_db()
    assert subscribed.last_sent_at == MONDAY


def test_nothing_changed_means_no_email(digests, world, subscribed):
    referral_at(world, MONDAY - timedelta(days=10))  # older than the 7-day window
    assert digests(now=MONDAY) == 0
    assert mail.outbox == []
    subscribed.refresh_from_db()
    assert subscribed.last_sent_at is None


def test_the_next_digest_starts_where_the_last_one_stopped(digests, world, subscribed):
    first = referral_at(world, LAST_WEEK)
    assert digests(now=MONDAY) == 1
    assert digests(now=MONDAY) == 0  # a second run at once sends nothing
    later = MONDAY + timedelta(days=3)
    second = referral_at(world, later)
    next_monday = MONDAY + timedelta(days=7)
    assert digests(now=next_monday) == 1
    body = mail.outbox[-1].body
    assert second.reference in body and first.reference not in body


def test_a_status_change_brings_an_old_referral_back(digests, world, subscribed):
    old = referral_at(world, MONDAY - timedelta(days=30))
    with time_machine.travel(LAST_WEEK, tick=False):
        services.start_review(acting_user=world.users["staff_a"], referral=old)
    assert digests(now=MONDAY) == 1
    assert f"{old.reference} · Awa · À l'étude" in mail.outbox[-1].body


def test_only_the_structure_referrals_are_told(digests, world, subscribed):
    theirs = referral_at(
        world, LAST_WEEK, partner_structure=world.structure_b, reception_point=world.site_b
    )
    assert digests(now=MONDAY) == 0
    ours = referral_at(world, LAST_WEEK)
    assert digests(now=MONDAY) == 1
    body = mail.outbox[-1].body
    assert ours.reference in body and theirs.reference not in body


def test_switched_off_or_former_referents_get_nothing(digests, world, subscribed):
    referral_at(world, LAST_WEEK)
    set_digest_subscription(acting_user=world.users["referent"], is_active=False)
    assert digests(now=MONDAY) == 0
    set_digest_subscription(acting_user=world.users["referent"], is_active=True)
    Membership.objects.filter(user=world.users["referent"]).update(is_active=False)
    assert digests(now=MONDAY) == 0
    # A subscription left by someone who is not a référent (any more) sends nothing either.
    DigestSubscription.objects.create(user=world.users["staff_a"], is_active=True)
    assert digests(now=MONDAY) == 0
    assert mail.outbox == []


def test_each_subscribed_referent_gets_their_own_email(digests, world, subscribed):
    set_digest_subscription(acting_user=world.users["lead_referent"], is_active=True)
    referral_at(world, LAST_WEEK)
    assert digests(now=MONDAY) == 2
    assert {m.to[0] for m in mail.outbox} == {
        world.users["referent"].email,
        world.users["lead_referent"].email,
    }


def test_a_long_week_lists_the_first_ones_and_counts_them_all(
    digests, world, subscribed, monkeypatch
):
    monkeypatch.setattr("solidarnum.referrals.digest.MAX_LISTED", 2)
    for i in range(4):
        referral_at(world, LAST_WEEK + timedelta(minutes=i), first_name=f"P{i}")
    assert digests(now=MONDAY) == 1
    body = mail.outbox[-1].body
    assert "- Ouverte : 4" in body
    assert "… et 2 autres bons." in body


def test_the_command_and_the_task_send_the_digests(
    world, subscribed, django_capture_on_commit_callbacks
):
    referral_at(world, LAST_WEEK)
    with (
        time_machine.travel(MONDAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        out = StringIO()
        call_command("send_referral_digests", stdout=out)
        assert "1 récapitulatif envoyé." in out.getvalue()
        assert send_weekly_digests_task.delay().get() == 0  # already sent
    assert len(mail.outbox) == 1


def test_switching_twice_keeps_one_row(world):
    user = world.users["referent"]
    set_digest_subscription(acting_user=user, is_active=True)
    set_digest_subscription(acting_user=user, is_active=True)
    assert DigestSubscription.objects.filter(user=user, is_active=True).count() == 1
