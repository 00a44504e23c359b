from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from solidarnum.beneficiaries import services
from solidarnum.beneficiaries.diagnostic import QUESTION_CODES
from solidarnum.beneficiaries.enums import ConnectionKind, ExitOutcome, Milestone, Profile
from solidarnum.beneficiaries.models import (
    AccessPeriod,
    Beneficiary,
    Diagnostic,
    StaffNote,
    TimelineEntry,
)
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.models import AuditAction, AuditEvent
from solidarnum.referrals.models import Referral

from . import make_beneficiary, make_beneficiary_b


def audited(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )


def all_answers(value="alone", **overrides):
    return {code: overrides.get(code, value) for code in QUESTION_CODES}


def diagnose(world, beneficiary, answers=None, **extra):
    params = {
        "acting_user": world.users["staff_a"],
        "beneficiary": beneficiary,
        "answers": answers if answers is not None else all_answers(),
        "equipment": ["smartphone"],
        "connection": ConnectionKind.PREPAID,
        "telecom_spend_monthly": Decimal("25"),
    }
    params.update(extra)
    return services.record_diagnostic(**params)


# --- Notes ------------------------------------------------------------------------------------


def test_a_note_is_saved_and_audited(world):
    beneficiary = make_beneficiary(world)
    note = services.add_note(
        acting_user=world.users["staff_a"], beneficiary=beneficiary, text="  Vient le mardi.  "
    )
    assert note.text == "Vient le mardi." and note.author == world.users["staff_a"]
    assert audited(note, AuditAction.CREATE).exists()


def test_an_empty_note_is_refused(world):
    beneficiary = make_beneficiary(world)
    with pytest.raises(ServiceError, match="La note est vide"):
        services.add_note(acting_user=world.users["staff_a"], beneficiary=beneficiary, text=" ")
    assert not StaffNote.objects.exists()


# --- Diagnostic -------------------------------------------------------------------------------


def test_a_diagnostic_sets_the_profile_adds_a_timeline_entry_and_is_audited(world):
    beneficiary = make_beneficiary(world)
    diagnostic = diagnose(world, beneficiary)
    beneficiary.refresh_from_db()
    assert beneficiary.profile == Profile.ADVANCED
    assert diagnostic.computed_profile == diagnostic.profile == Profile.ADVANCED
    assert diagnostic.done_by == world.users["staff_a"]
    assert "Connecter : recharge solidaire" in diagnostic.suggested_services
    assert TimelineEntry.objects.filter(beneficiary=beneficiary, kind="diagnostic.done").exists()
    assert audited(diagnostic, AuditAction.CREATE).exists()
    assert audited(beneficiary, AuditAction.UPDATE).filter(changed_fields=["profile"]).exists()


def test_each_diagnostic_is_kept_so_progress_shows(world):
    beneficiary = make_beneficiary(world)
    diagnose(world, beneficiary, all_answers("with_help", power_on="no"))
    diagnose(world, beneficiary, all_answers("with_help", power_on="alone", unlock_phone="alone"))
    profiles = list(beneficiary.diagnostics.values_list("profile", flat=True))
    assert profiles == [Profile.BEGINNER, Profile.EXCLUDED]  # newest first
    beneficiary.refresh_from_db()
    assert beneficiary.profile == Profile.BEGINNER


def test_overriding_the_profile_needs_a_reason(world):
    beneficiary = make_beneficiary(world)
    with pytest.raises(ServiceError, match="Expliquez pourquoi"):
        diagnose(world, beneficiary, profile_override=Profile.BEGINNER, override_reason="  ")
    assert not Diagnostic.objects.exists()
    diagnostic = diagnose(
        world, beneficiary, profile_override=Profile.BEGINNER, override_reason="Peur de mal faire"
    )
    assert diagnostic.computed_profile == Profile.ADVANCED
    assert diagnostic.profile == Profile.BEGINNER
    assert diagnostic.override_reason == "Peur de mal faire"


def test_overriding_with_the_computed_profile_is_no_override(world):
    diagnostic = diagnose(world, make_beneficiary(world), profile_override=Profile.ADVANCED)
    assert diagnostic.override_reason == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"answers": all_answers(create_email="maybe")}, "Répondez à toutes les questions"),
        ({"answers": {"power_on": "alone"}}, "Répondez à toutes les questions"),
        ({"telecom_spend_monthly": Decimal("-1")}, "entre 0 et 500"),
        ({"telecom_spend_monthly": Decimal("500.01")}, "entre 0 et 500"),
        ({"equipment": ["fax"]}, "Équipement inconnu"),
        ({"connection": "pigeon"}, "Type de connexion inconnu"),
    ],
)
def test_bad_diagnostic_input_is_refused_and_nothing_saved(world, extra, message):
    beneficiary = make_beneficiary(world)
    with pytest.raises(ServiceError, match=message):
        diagnose(world, beneficiary, **extra)
    assert not Diagnostic.objects.exists()
    beneficiary.refresh_from_db()
    assert beneficiary.profile == ""


# --- Merge ------------------------------------------------------------------------------------


def test_merge_moves_everything_to_the_kept_file(world):
    kept = make_beneficiary(world)
    merged = make_beneficiary(
        world, first_name="Awa", last_name="DIALLO", needs_equip=False, needs_support=True
    )
    diagnostic = diagnose(world, merged)
    note = services.add_note(acting_user=world.users["staff_a"], beneficiary=merged, text="Fait")
    merged_period = AccessPeriod.objects.get(beneficiary=merged)
    merged_referral = Referral.objects.get(beneficiary=merged)
    merged_entries = set(merged.timeline.values_list("pk", flat=True))

    services.merge_beneficiaries(acting_user=world.users["staff_a"], kept=kept, merged=merged)

    kept.refresh_from_db()
    merged.refresh_from_db()
    assert merged.merged_into == kept
    assert Referral.objects.filter(beneficiary=kept).count() == 2
    assert Referral.objects.get(pk=merged_referral.pk).beneficiary == kept
    assert AccessPeriod.objects.get(pk=merged_period.pk).beneficiary == kept
    assert Diagnostic.objects.get(pk=diagnostic.pk).beneficiary == kept
    assert StaffNote.objects.get(pk=note.pk).beneficiary == kept
    assert set(kept.timeline.values_list("pk", flat=True)) >= merged_entries
    assert not merged.timeline.exists() and not merged.access_periods.exists()
    assert kept.needs_equip and kept.needs_support
    assert kept.profile == Profile.ADVANCED
    assert list(Beneficiary.objects.current()) == [kept]
    assert any("notes" in e.changed_fields for e in audited(kept, AuditAction.UPDATE))
    assert audited(merged, AuditAction.UPDATE).filter(changed_fields=["merged_into"]).exists()


def test_files_merged_earlier_follow_to_the_kept_file(world):
    first, second, third = (make_beneficiary(world) for _ in range(3))
    services.merge_beneficiaries(acting_user=world.users["staff_a"], kept=second, merged=first)
    services.merge_beneficiaries(acting_user=world.users["staff_a"], kept=third, merged=second)
    first.refresh_from_db()
    assert first.merged_into == third


def test_merging_a_file_into_itself_is_refused(world):
    beneficiary = make_beneficiary(world)
    with pytest.raises(ServiceError, match="avec lui-même"):
        services.merge_beneficiaries(
            acting_user=world.users["staff_a"], kept=beneficiary, merged=beneficiary
        )


def test_merging_across_sites_is_refused(world):
    kept, other = make_beneficiary(world), make_beneficiary_b(world)
    with pytest.raises(ServiceError, match="même point d'accueil"):
        services.merge_beneficiaries(acting_user=world.users["staff_a"], kept=kept, merged=other)
    other.refresh_from_db()
    assert other.merged_into is None and other.access_periods.exists()


def test_a_merged_file_cannot_be_merged_again(world):
    kept, merged, third = (make_beneficiary(world) for _ in range(3))
    services.merge_beneficiaries(acting_user=world.users["staff_a"], kept=kept, merged=merged)
    with pytest.raises(ServiceError, match="déjà été fusionné"):
        services.merge_beneficiaries(acting_user=world.users["staff_a"], kept=third, merged=merged)


# --- Exit -------------------------------------------------------------------------------------


def exit_(world, beneficiary, **extra):
    params = {
        "acting_user": world.users["staff_a"],
        "beneficiary": beneficiary,
        "outcome": ExitOutcome.AUTONOMOUS,
        "is_equipped": True,
        "is_connected": True,
        "has_basic_skills": True,
        "comment": "Très à l'aise maintenant",
    }
    params.update(extra)
    return services.record_exit(**params)


def test_exit_ends_the_running_period_and_reaches_the_referent_as_a_milestone(world):
    beneficiary = make_beneficiary(world)
    today = timezone.localdate()
    exit_(world, beneficiary)
    beneficiary.refresh_from_db()
    assert beneficiary.exited_on == today
    assert beneficiary.exit_outcome == ExitOutcome.AUTONOMOUS
    assert beneficiary.is_equipped and beneficiary.is_connected and beneficiary.has_basic_skills
    period = AccessPeriod.objects.get(beneficiary=beneficiary)
    assert period.ended_early_on == today and period.days_left() == 0
    entry = TimelineEntry.objects.get(beneficiary=beneficiary, milestone=Milestone.EXIT)
    assert "Très à l'aise" not in entry.summary  # the comment never reaches the référent
    assert any("exited_on" in e.changed_fields for e in audited(beneficiary, AuditAction.UPDATE))
    assert audited(period, AuditAction.UPDATE).filter(changed_fields=["ended_early_on"]).exists()


def test_an_ended_period_is_left_as_it_was(world):
    beneficiary = make_beneficiary(world)
    past = timezone.localdate() - timedelta(days=10)
    AccessPeriod.objects.filter(beneficiary=beneficiary).update(
        starts_on=past - timedelta(days=500), ends_on=past
    )
    exit_(world, beneficiary, outcome=ExitOutcome.PERIOD_ENDED, is_connected=False)
    assert AccessPeriod.objects.get(beneficiary=beneficiary).ended_early_on is None


def test_autonomous_exit_needs_the_three_ticks(world):
    beneficiary = make_beneficiary(world)
    with pytest.raises(ServiceError, match="demande les trois cases"):
        exit_(world, beneficiary, has_basic_skills=False)
    beneficiary.refresh_from_db()
    assert beneficiary.exited_on is None
    assert AccessPeriod.objects.get(beneficiary=beneficiary).ended_early_on is None


def test_moving_away_ends_access_early_without_the_checklist(world):
    beneficiary = make_beneficiary(world)
    exit_(
        world,
        beneficiary,
        outcome=ExitOutcome.MOVED_AWAY,
        is_equipped=False,
        is_connected=False,
        has_basic_skills=False,
    )
    assert AccessPeriod.objects.get(beneficiary=beneficiary).ended_early_on is not None


def test_exit_is_recorded_once(world):
    beneficiary = make_beneficiary(world)
    exit_(world, beneficiary)
    with pytest.raises(ServiceError, match="déjà enregistrée"):
        exit_(world, beneficiary, outcome=ExitOutcome.OTHER)
