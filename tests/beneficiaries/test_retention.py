from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from solidarnum.beneficiaries.models import Beneficiary, StaffNote
from solidarnum.beneficiaries.services import add_note
from solidarnum.beneficiaries.tasks import anonymise_personal_data
from solidarnum.privacy.models import AuditEvent
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import Referral, RefusalReason
from solidarnum.referrals.services import refuse_referral
from tests.referrals.factories import make_referral

from . import make_beneficiary


def test_closed_referrals_lose_identity_after_the_retention_delay(world, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 730
    old = make_referral(world, last_name="Ancienne")
    recent = make_referral(world, last_name="Recente")
    reason = RefusalReason.objects.get(code="autre")
    for referral in (old, recent):
        refuse_referral(
            acting_user=world.users["staff_a"],
            referral=referral,
            reason=reason,
            comment="Habite à Lille",
        )
    Referral.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=731))
    assert anonymise_personal_data() == {
        "referrals": 1,
        "notifications": 0,
        "connectivity": 0,
        "beneficiaries": 0,
    }
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.first_name == "Anonymisé" and old.last_name == "" and not old.phone
    assert old.refusal_comment == "" and old.reason == "" and old.anonymised_at
    assert old.status == ReferralStatus.REFUSED  # the statistics keep the decision
    assert recent.last_name == "Recente"
    assert AuditEvent.objects.filter(
        object_type="referrals.referral", object_id=str(old.pk)
    ).exists()
    # Idempotent.
    assert anonymise_personal_data() == {
        "referrals": 0,
        "notifications": 0,
        "connectivity": 0,
        "beneficiaries": 0,
    }


def test_exited_files_are_anonymised_with_their_notes(world, settings):
    beneficiary = make_beneficiary(world)
    add_note(acting_user=world.users["staff_a"], beneficiary=beneficiary, text="Fait précis.")
    Beneficiary.objects.filter(pk=beneficiary.pk).update(
        exited_on=timezone.localdate() - timedelta(days=800)
    )
    staying = make_beneficiary(world, last_name="Toujours")
    call_command("anonymise_personal_data")
    beneficiary.refresh_from_db()
    staying.refresh_from_db()
    assert beneficiary.first_name == "Anonymisé" and beneficiary.last_name == ""
    assert not StaffNote.objects.filter(beneficiary=beneficiary).exists()
    assert beneficiary.referrals.get().last_name == ""
    assert staying.last_name == "Toujours"


def test_referrals_register_their_keeper_once(monkeypatch):
    from solidarnum.beneficiaries import retention

    assert [keeper.name for keeper in retention.keepers()] == [
        "referrals",
        "notifications",
        "connectivity",
    ]
    monkeypatch.setattr(retention, "_keepers", [])
    keeper = retention.Keeper("x", expired=lambda cutoff, now: 0, of_files=lambda ids, now: None)
    retention.register(keeper)
    retention.register(keeper)
    assert retention.keepers() == [keeper]
