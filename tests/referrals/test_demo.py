"""Demo referrals: idempotent, every status, real services, fictitious but valid data.

Seeding 300 referrals takes a few seconds, so the checks are grouped in few tests."""

from datetime import timedelta

import phonenumbers
import pytest
from django.core import mail
from django.core.validators import validate_email
from django.utils import timezone
from pytest_django.fixtures import Settings

from solidarnum.accounts.demo import seed_users
from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary, TimelineEntry
from solidarnum.network.demo import seed_network
from solidarnum.privacy.models import AuditEvent
from solidarnum.referrals.demo import REFERRAL_COUNT, seed_referrals
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import Referral

pytestmark = pytest.mark.django_db

CONSOLE = "django.core.mail.backends.console.EmailBackend"
FICTION_PREFIXES = {"+33199", "+33261", "+33353", "+33465", "+33536"}


@pytest.fixture
def network():
    network = seed_network()
    seed_users(network)
    return network


def _counts() -> dict[str, int]:
    return {
        "referrals": Referral.objects.count(),
        "beneficiaries": Beneficiary.objects.count(),
        "periods": AccessPeriod.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_seeding_twice_gives_the_same_counts(network):
    first = seed_referrals(network)
    counts = _counts()
    references = set(Referral.objects.values_list("reference", flat=True))
    second = seed_referrals(network)
    assert _counts() == counts
    assert set(Referral.objects.values_list("reference", flat=True)) == references
    assert (first["created"], second["created"]) == (REFERRAL_COUNT, 0)
    assert first | {"created": 0} == second


def test_every_status_with_files_dates_and_authors(network):
    summary = seed_referrals(network)
    now = timezone.now()

    # Volume and every status, several refusal reasons.
    assert Referral.objects.count() >= 250
    assert summary["referrals"] == Referral.objects.count()
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert all(summary[status] >= 5 for status in ReferralStatus.values), summary
    refused = Referral.objects.filter(status=ReferralStatus.REFUSED)
    assert refused.values("refusal_reason").distinct().count() >= 4

    # Validated bons opened files, with access periods starting on the decision day.
    assert Beneficiary.objects.count() >= 100
    assert summary["beneficiaries"] == Beneficiary.objects.count()
    validated = Referral.objects.filter(status=ReferralStatus.VALIDATED)
    for referral in validated.select_related("beneficiary"):
        period = AccessPeriod.objects.get(beneficiary=referral.beneficiary)
        assert period.starts_on == timezone.localdate(referral.decided_at)
        assert referral.beneficiary.created_at == referral.decided_at
    assert Beneficiary.objects.exclude(profile="").count() >= 30  # a profile, no diagnostic
    assert not Beneficiary.objects.filter(diagnostics__isnull=False).exists()
    milestones = set(
        TimelineEntry.objects.exclude(milestone="").values_list("milestone", flat=True)
    )
    assert {Milestone.FIRST_VISIT, Milestone.EQUIPPED, Milestone.CONNECTED} <= milestones

    # Six months of history, consistent decision dates.
    rows = list(Referral.objects.values_list("created_at", "decided_at", "status"))
    assert now - min(created for created, *_ in rows) > timedelta(days=150)
    assert sum(1 for created, *_ in rows if now - created < timedelta(days=30)) >= 20
    for created, decided, status in rows:
        if status in (ReferralStatus.OPEN, ReferralStatus.UNDER_REVIEW):
            assert decided is None
        else:
            assert created < decided <= now

    # The two Paris 19e demo référents and colleagues elsewhere, several sites.
    paris_19 = Referral.objects.filter(referent__email__endswith="paris19@demo.solidarnum.fr")
    assert paris_19.values("referent").distinct().count() == 2
    assert Referral.objects.values("referent").distinct().count() >= 6
    assert Referral.objects.values("partner_structure").distinct().count() >= 5
    assert Referral.objects.values("reception_point").distinct().count() >= 5
    assert not Referral.objects.filter(reception_point__is_active=False).exists()
    assert Membership.objects.filter(role=Role.REFERENT, is_lead=True).count() == 1
    assert all(u.email.endswith("@demo.solidarnum.fr") for u in User.objects.all())


def test_contacts_are_fictitious_but_valid(network):
    seed_referrals(network)
    phones = []
    for referral in Referral.objects.all():
        if referral.has_no_phone:
            assert referral.phone == ""
            assert referral.contact_notes
            assert referral.contact_preference == "referent"
        else:
            number = phonenumbers.parse(referral.phone.as_e164)
            assert phonenumbers.is_valid_number(number), referral.phone
            assert referral.phone.as_e164[:6] in FICTION_PREFIXES
            phones.append(referral.phone.as_e164)
        if referral.email:
            validate_email(referral.email)
            assert referral.email.rsplit("@", 1)[1].startswith("example.")
        assert 1940 <= referral.birth_year <= 2007
        assert referral.needs_equip or referral.needs_connect or referral.needs_support
    assert len(phones) == len(set(phones))
    assert Referral.objects.filter(has_no_phone=True).count() >= 10


def test_status_emails_are_not_printed_and_the_backend_comes_back(
    network, settings: Settings, django_capture_on_commit_callbacks, capsys
):
    settings.EMAIL_BACKEND = CONSOLE
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed_referrals(network, count=40)
    assert len(callbacks) > 20  # the services really queued their e-mails
    assert settings.EMAIL_BACKEND == CONSOLE
    assert getattr(mail, "outbox", []) == []
    assert "Subject:" not in capsys.readouterr().out


def test_the_demo_restores_the_refusal_reasons_a_flushed_database_lost(network, settings):
    """A transactional test flushes the tables, the reasons of the data migration included: the
    demo seeded after it must still refuse some referrals, with a reason."""
    from solidarnum.referrals.models import RefusalReason

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    RefusalReason.objects.all().delete()
    seed_referrals(network, count=40)
    refused = Referral.objects.filter(status=ReferralStatus.REFUSED)
    assert refused.exists()
    assert not refused.filter(refusal_reason__isnull=True).exists()
    assert RefusalReason.objects.filter(code="hors-territoire").exists()
