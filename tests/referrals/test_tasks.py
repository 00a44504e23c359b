"""Reminders after 10 days without answer, expiry after 30 days (delays are settings)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from solidarnum.accounts.enums import Role
from solidarnum.referrals import services
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import Referral
from solidarnum.referrals.tasks import expire_open_referrals, remind_open_referrals
from tests.conftest import make_place, make_user
from tests.referrals.factories import make_referral

T0 = datetime.fromisoformat("2026-03-02T10:00:00+01:00")


@pytest.fixture(autouse=True)
def _default_delays(settings):
    settings.REFERRAL_REMINDER_DAYS = 10
    settings.REFERRAL_EXPIRY_DAYS = 30


def referral_at(world, when: datetime, **extra) -> Referral:
    with time_machine.travel(when, tick=False):
        return make_referral(world, **extra)


def run_at(task, when: datetime, callbacks) -> int:
    with time_machine.travel(when, tick=False), callbacks(execute=True):
        # Runs inline: no broker in tests, as on a fresh machine.
        return task.delay().get()


# --- Reminders --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("waited", "reminded"),
    [
        (timedelta(days=9), False),
        (timedelta(days=10) - timedelta(seconds=1), False),
        (timedelta(days=10), True),
        (timedelta(days=11), True),
    ],
)
def test_reminder_is_sent_after_ten_days(
    world, django_capture_on_commit_callbacks, waited, reminded
):
    referral = referral_at(world, T0)
    count = run_at(remind_open_referrals, T0 + waited, django_capture_on_commit_callbacks)
    assert count == int(reminded)
    # One e-mail to each of site A's manager and staff member.
    assert len(mail.outbox) == 2 * int(reminded)
    referral.refresh_from_db()
    assert (referral.reminded_at == T0 + waited) if reminded else referral.reminded_at is None


def test_reminder_goes_to_the_sites_managers_and_staff_with_references_only(
    world, django_capture_on_commit_callbacks
):
    first = referral_at(world, T0)
    second = referral_at(world, T0 + timedelta(hours=1), first_name="Binta")
    gone = make_user("gina.gone@example.org", Role.STAFF, reception_point=world.site_a)
    gone.is_active = False
    gone.save()
    run_at(remind_open_referrals, T0 + timedelta(days=12), django_capture_on_commit_callbacks)

    # One e-mail per member of the site's team (each its own line in the delivery log), each
    # listing every referral of the site.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["manager_a"].email, world.users["staff_a"].email]
    )
    for message in mail.outbox:
        assert first.reference in message.body and second.reference in message.body
    assert "2 bons d'orientation en attente de réponse à Paris 19e" in message.subject
    # No personal data in a reminder.
    assert "Diallo" not in message.body and "Awa" not in message.body


def test_each_reception_point_gets_its_own_reminder(world, django_capture_on_commit_callbacks):
    here = referral_at(world, T0)
    there = referral_at(
        world, T0, partner_structure=world.structure_b, reception_point=world.site_b
    )
    assert (
        run_at(remind_open_referrals, T0 + timedelta(days=10), django_capture_on_commit_callbacks)
        == 2
    )
    to_site_b = [m for m in mail.outbox if m.to == [world.users["staff_b"].email]]
    to_site_a = [m for m in mail.outbox if world.users["staff_a"].email in m.to]
    assert len(to_site_a) == len(to_site_b) == 1
    assert there.reference in to_site_b[0].body and here.reference not in to_site_b[0].body
    assert here.reference in to_site_a[0].body and there.reference not in to_site_a[0].body


def test_referrals_are_reminded_once_and_only_while_open(world, django_capture_on_commit_callbacks):
    reviewed = referral_at(world, T0, first_name="Binta")
    services.start_review(acting_user=world.users["staff_a"], referral=reviewed)
    open_one = referral_at(world, T0)
    callbacks = django_capture_on_commit_callbacks
    assert run_at(remind_open_referrals, T0 + timedelta(days=10), callbacks) == 1
    assert reviewed.reference not in mail.outbox[0].body
    assert open_one.reference in mail.outbox[0].body
    assert run_at(remind_open_referrals, T0 + timedelta(days=11), callbacks) == 0
    assert len(mail.outbox) == 2  # the first run's, to the two members of the team


def test_a_site_with_nobody_to_write_to_is_left_for_later(
    world, django_capture_on_commit_callbacks
):
    empty = make_place("Bobigny", postcode="93000", commune="Bobigny", insee_code="93008")
    referral = referral_at(world, T0, reception_point=empty)
    assert (
        run_at(remind_open_referrals, T0 + timedelta(days=10), django_capture_on_commit_callbacks)
        == 0
    )
    assert Referral.objects.get(pk=referral.pk).reminded_at is None
    assert mail.outbox == []


def test_the_reminder_delay_is_a_setting(world, settings, django_capture_on_commit_callbacks):
    settings.REFERRAL_REMINDER_DAYS = 3
    referral_at(world, T0)
    callbacks = django_capture_on_commit_callbacks
    assert run_at(remind_open_referrals, T0 + timedelta(days=2), callbacks) == 0
    assert run_at(remind_open_referrals, T0 + timedelta(days=3), callbacks) == 1


# --- Expiry -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("waited", "expired"),
    [
        (timedelta(days=29), False),
        (timedelta(days=30) - timedelta(seconds=1), False),
        (timedelta(days=30), True),
    ],
)
def test_pending_referrals_expire_after_thirty_days(
    world, django_capture_on_commit_callbacks, waited, expired
):
    referral = referral_at(world, T0)
    count = run_at(expire_open_referrals, T0 + waited, django_capture_on_commit_callbacks)
    assert count == int(expired)
    referral.refresh_from_db()
    if expired:
        assert referral.status == ReferralStatus.EXPIRED
        assert referral.decided_at == T0 + waited
        assert mail.outbox[0].to == [world.users["lead_referent"].email]
        assert "Expirée" in mail.outbox[0].subject
    else:
        assert referral.status == ReferralStatus.OPEN
        assert mail.outbox == []


def test_referrals_under_review_expire_too_but_decided_ones_stay(
    world, django_capture_on_commit_callbacks
):
    reviewed = referral_at(world, T0)
    services.start_review(acting_user=world.users["staff_a"], referral=reviewed)
    validated = referral_at(world, T0, first_name="Binta")
    services.validate_referral(acting_user=world.users["staff_a"], referral=validated)
    elsewhere = referral_at(
        world, T0, partner_structure=world.structure_b, reception_point=world.site_b
    )
    count = run_at(
        expire_open_referrals, T0 + timedelta(days=45), django_capture_on_commit_callbacks
    )
    assert count == 2
    statuses = dict(Referral.objects.values_list("pk", "status"))
    assert statuses[reviewed.pk] == ReferralStatus.EXPIRED
    assert statuses[elsewhere.pk] == ReferralStatus.EXPIRED
    assert statuses[validated.pk] == ReferralStatus.VALIDATED


def test_the_expiry_delay_is_a_setting(world, settings, django_capture_on_commit_callbacks):
    settings.REFERRAL_EXPIRY_DAYS = 5
    referral_at(world, T0)
    callbacks = django_capture_on_commit_callbacks
    assert run_at(expire_open_referrals, T0 + timedelta(days=4), callbacks) == 0
    assert run_at(expire_open_referrals, T0 + timedelta(days=5), callbacks) == 1


def test_the_tasks_accept_an_explicit_now(world, django_capture_on_commit_callbacks):
    referral_at(world, T0)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_open_referrals(now=T0 + timedelta(days=10)) == 1
        assert expire_open_referrals(now=T0 + timedelta(days=30)) == 1


# --- Management commands ----------------------------------------------------------------------


def test_management_commands(world, capsys, django_capture_on_commit_callbacks):
    referral_at(world, T0)
    with time_machine.travel(T0 + timedelta(days=10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("remind_open_referrals")
        assert "1 bon d'orientation relancé." in capsys.readouterr().out
    with time_machine.travel(T0 + timedelta(days=30), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("expire_open_referrals")
        assert "1 bon d'orientation expiré." in capsys.readouterr().out
    # The reminder to the two members of site A's team, then the expiry to the référent.
    assert len(mail.outbox) == 3
