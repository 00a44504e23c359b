"""Services: bad input is refused in French and saves nothing; the refurbishing skill follows
the profile; leaving closes the account and keeps the history; hours and their value."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Invitation, Membership
from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.volunteers import staffing
from solidarnum.volunteers.enums import CandidateStatus, HoursStatus, Skill, VolunteerStatus
from solidarnum.volunteers.hours import selectors as hours
from solidarnum.volunteers.hours import services as hour_services
from solidarnum.volunteers.models import Absence, Candidate, DeclaredHours, WeeklySlot
from solidarnum.volunteers.profiles import services
from solidarnum.volunteers.recruitment import services as recruitment
from solidarnum.volunteers.tasks import delete_declined_candidates
from solidarnum.volunteers.trainings import services as trainings

from .factories import make_candidate, make_hours, make_profile, make_slot, make_training


def scope(user):
    return resolve_scope(user, None)


def test_overlapping_weekly_slots_are_refused_and_nothing_is_saved(world):
    volunteer = world.users["volunteer_a"]
    services.add_slot(
        acting_user=volunteer,
        reception_point_id=world.site_a.pk,
        weekday=1,
        starts_at=time(14),
        ends_at=time(17),
    )
    with pytest.raises(ServiceError, match="chevauche votre créneau du mardi de 14:00 à 17:00"):
        services.add_slot(
            acting_user=volunteer,
            reception_point_id=world.site_a.pk,
            weekday=1,
            starts_at=time(16),
            ends_at=time(18),
        )
    # Touching edges do not overlap.
    services.add_slot(
        acting_user=volunteer,
        reception_point_id=world.site_a.pk,
        weekday=1,
        starts_at=time(17),
        ends_at=time(18),
    )
    assert WeeklySlot.objects.count() == 2


def test_a_slot_ending_before_it_starts_or_at_another_site_is_refused(world):
    volunteer = world.users["volunteer_a"]
    with pytest.raises(ServiceError, match="fin doit être après"):
        services.add_slot(
            acting_user=volunteer,
            reception_point_id=world.site_a.pk,
            weekday=1,
            starts_at=time(17),
            ends_at=time(14),
        )
    with pytest.raises(ServiceError, match="pas bénévole à ce point"):
        services.add_slot(
            acting_user=volunteer,
            reception_point_id=world.site_b.pk,
            weekday=1,
            starts_at=time(9),
            ends_at=time(12),
        )
    assert not WeeklySlot.objects.exists()


def test_overlapping_absences_are_refused(world):
    volunteer = world.users["volunteer_a"]
    services.add_absence(
        acting_user=volunteer, starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 15)
    )
    with pytest.raises(ServiceError, match="chevauche celle du 01/07/2026 au 15/07/2026"):
        services.add_absence(
            acting_user=volunteer, starts_on=date(2026, 7, 15), ends_on=date(2026, 7, 20)
        )
    with pytest.raises(ServiceError, match="après son début"):
        services.add_absence(
            acting_user=volunteer, starts_on=date(2026, 8, 2), ends_on=date(2026, 8, 1)
        )
    assert Absence.objects.count() == 1


def test_hours_in_the_future_or_of_a_negative_duration_are_refused(world):
    volunteer = world.users["volunteer_a"]
    common = {
        "acting_user": volunteer,
        "reception_point_id": world.site_a.pk,
        "category": "welcome",
    }
    with pytest.raises(ServiceError, match="pas dans le futur"):
        hour_services.declare_hours(
            worked_on=timezone.localdate() + timedelta(days=1), minutes=60, **common
        )
    with pytest.raises(ServiceError, match="durée doit être positive"):
        hour_services.declare_hours(worked_on=timezone.localdate(), minutes=-30, **common)
    with pytest.raises(ServiceError, match="24 heures"):
        hour_services.declare_hours(worked_on=timezone.localdate(), minutes=25 * 60, **common)
    assert not DeclaredHours.objects.exists()


def test_the_manager_validates_declared_hours_once_and_they_count_with_their_value(world, settings):
    settings.VOLUNTEERS_HOURLY_RATE = Decimal("12.00")
    declared = make_hours(world.users["volunteer_a"], world.site_a, minutes=90)
    manager = world.users["manager_a"]
    today = timezone.localdate()
    assert hours.by_volunteer(world.site_a.pk, today - timedelta(days=30), today) == []
    hour_services.decide_hours(
        acting_user=manager, scope=scope(manager), hours=declared, validate=True
    )
    with pytest.raises(ServiceError, match="déjà été traitées"):
        hour_services.decide_hours(
            acting_user=manager, scope=scope(manager), hours=declared, validate=False
        )
    (line,) = hours.by_volunteer(world.site_a.pk, today - timedelta(days=30), today)
    assert line.totals.hours == Decimal("1.50")
    assert line.totals.value == Decimal("18.00")
    # The national view: counts and hours per site.
    sites = {s.site.name: s for s in hours.by_site(today - timedelta(days=30), today)}
    assert sites["Paris 19e"].totals.hours == Decimal("1.50")
    assert sites["Paris 19e"].volunteers == 1


def test_another_site_s_staff_cannot_validate(world):
    declared = make_hours(world.users["volunteer_a"], world.site_a)
    staff = world.users["staff_b"]
    with pytest.raises(ServiceError):
        hour_services.decide_hours(
            acting_user=staff, scope=scope(staff), hours=declared, validate=True
        )
    declared.refresh_from_db()
    assert declared.status == HoursStatus.PENDING


def test_the_refurbishing_skill_is_decided_in_the_profile_and_kept_on_the_memberships(world):
    volunteer = world.users["volunteer_a"]
    manager = world.users["manager_a"]
    membership = Membership.objects.get(user=volunteer)
    assert membership.can_check_devices  # the test world gives it
    services.review_profile(
        acting_user=manager,
        scope=scope(manager),
        volunteer=volunteer,
        refurbishing=False,
        observed_on=None,
        refurbishing_trained_on=None,
    )
    membership.refresh_from_db()
    assert not membership.can_check_devices
    assert not scope(volunteer).can_check_devices
    # The volunteer cannot give it to themselves by editing the profile.
    services.save_profile(acting_user=volunteer, data={"skills": [Skill.REFURBISHING]})
    membership.refresh_from_db()
    assert not membership.can_check_devices
    services.review_profile(
        acting_user=manager,
        scope=scope(manager),
        volunteer=volunteer,
        refurbishing=True,
        observed_on=timezone.localdate(),
        refurbishing_trained_on=None,
    )
    membership.refresh_from_db()
    assert membership.can_check_devices and scope(volunteer).can_check_devices


def test_leaving_deactivates_the_account_and_keeps_the_hours(world):
    volunteer = world.users["volunteer_a"]
    make_profile(volunteer)
    make_hours(volunteer, world.site_a)
    services.change_status(acting_user=volunteer, status=VolunteerStatus.LEFT)
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    assert not Membership.objects.filter(user=volunteer, is_active=True).exists()
    assert DeclaredHours.objects.filter(user=volunteer).exists()


def test_a_candidate_is_welcomed_then_invited_through_the_accounts_invitation(
    world, django_capture_on_commit_callbacks
):
    manager = world.users["manager_a"]
    candidate = make_candidate(world.site_a)
    with pytest.raises(ServiceError, match="une fois accueillie"):
        recruitment.invite_candidate(
            acting_user=manager,
            scope=scope(manager),
            candidate=candidate,
            accept_url_builder=lambda token: f"/invitation/{token}/",
        )
    for status in (CandidateStatus.MET, CandidateStatus.WELCOMED):
        recruitment.move_candidate(
            acting_user=manager, scope=scope(manager), candidate=candidate, status=status
        )
    with pytest.raises(ServiceError):
        recruitment.move_candidate(
            acting_user=manager, scope=scope(manager), candidate=candidate, status="to_contact"
        )
    with pytest.raises(ServiceError):  # already welcomed: no step back
        recruitment.move_candidate(
            acting_user=manager,
            scope=scope(manager),
            candidate=candidate,
            status=CandidateStatus.MET,
        )
    with pytest.raises(ServiceError):
        recruitment.invite_candidate(
            acting_user=world.users["staff_b"],
            scope=scope(world.users["staff_b"]),
            candidate=candidate,
            accept_url_builder=str,
        )
    with django_capture_on_commit_callbacks(execute=True):
        recruitment.invite_candidate(
            acting_user=manager,
            scope=scope(manager),
            candidate=candidate,
            accept_url_builder=lambda token: f"/invitation/{token}/",
        )
    candidate.refresh_from_db()
    invitation = Invitation.objects.get(email="chloe.candidate@example.org")
    assert candidate.status == CandidateStatus.INVITED and candidate.invitation == invitation
    assert invitation.role == Role.VOLUNTEER and invitation.reception_point == world.site_a
    assert len(mail.outbox) == 1


def test_declined_candidates_are_deleted_after_the_retention_delay(world, settings):
    settings.VOLUNTEERS_DECLINED_RETENTION_DAYS = 183
    old = make_candidate(
        world.site_a,
        status=CandidateStatus.DECLINED,
        declined_at=timezone.now() - timedelta(days=184),
    )
    recent = make_candidate(
        world.site_a,
        email="recent@example.org",
        status=CandidateStatus.DECLINED,
        declined_at=timezone.now() - timedelta(days=10),
    )
    waiting = make_candidate(world.site_a, email="waiting@example.org")
    assert delete_declined_candidates() == 1
    assert set(Candidate.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not Candidate.objects.filter(pk=old.pk).exists()


def test_a_training_takes_registrations_up_to_its_capacity_once_per_person(world):
    staff = world.users["staff_a"]
    training = make_training(capacity=1)
    kwargs = {
        "acting_user": staff,
        "scope": scope(staff),
        "training": training,
        "partner_structure_id": world.structure_a.pk,
        "first_name": "Sonia",
        "last_name": "Sociale",
    }
    trainings.register_professional(email="sonia@example.org", **kwargs)
    with pytest.raises(ServiceError, match="complète"):
        trainings.register_professional(email="other@example.org", **kwargs)
    lead = world.users["lead_referent"]
    with pytest.raises(ServiceError, match="votre structure"):
        trainings.register_professional(
            **{
                **kwargs,
                "acting_user": lead,
                "scope": scope(lead),
                "partner_structure_id": world.structure_b.pk,
            },
            email="x@example.org",
        )


def test_the_proposer_puts_first_the_volunteer_who_speaks_the_person_s_language(world):
    """The facts come from the database: profile, slots, absences, hours of the month."""
    from solidarnum.support.staffing import Need
    from tests.conftest import make_user

    staffing.register()
    first = world.users["volunteer_a"]
    make_slot(make_profile(first, languages_spoken=["fr"]), world.site_a)
    arabic = make_user("amina.arabe@example.org", Role.VOLUNTEER, reception_point=world.site_a)
    make_slot(make_profile(arabic, languages_spoken=["fr", "ar"]), world.site_a)
    absent = make_user("paul.absent@example.org", Role.VOLUNTEER, reception_point=world.site_a)
    profile = make_profile(absent, languages_spoken=["ar"])
    make_slot(profile, world.site_a)
    tuesday = timezone.localdate() + timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)
    Absence.objects.create(profile=profile, starts_on=tuesday, ends_on=tuesday)
    start = timezone.make_aware(timezone.datetime.combine(tuesday, time(14)))
    need = Need(
        site_id=world.site_a.pk,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        skill="one_to_one",
        languages=("ar", "fr"),
        beneficiary_id=None,
    )
    ids = [first.pk, arabic.pk, absent.pk, world.users["staff_a"].pk]
    proposals = staffing.propose(need, ids)
    assert [p.user_id for p in proposals] == [arabic.pk, first.pk, world.users["staff_a"].pk]
    assert "parle arabe" in proposals[0].reasons
    assert "absente" in staffing.check(need, absent.pk)
    assert staffing.check(need, first.pk) is None


def test_a_staff_member_who_volunteers_elsewhere_is_an_employee_at_their_own_site(world):
    from solidarnum.support.staffing import Need

    staff = world.users["staff_a"]
    Membership.objects.create(user=staff, role=Role.VOLUNTEER, reception_point=world.site_b)
    start = timezone.now() + timedelta(days=2)
    need = Need(world.site_a.pk, start, start + timedelta(hours=1), "one_to_one", (), None)
    (facts,) = staffing.facts_for(need, [staff.pk])
    assert facts.is_employee
    assert staffing.check(need, staff.pk) is None
