"""Scoped reads: what of the volunteers each role may see.

An object outside the caller's scope answers 404, like a missing one.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.network.models import ReceptionPoint

from .models import (
    Absence,
    Broadcast,
    BroadcastRecipient,
    Candidate,
    DeclaredHours,
    Training,
    TrainingRegistration,
    VolunteerProfile,
    WeeklySlot,
)


def profile_of(user: User) -> VolunteerProfile | None:
    return VolunteerProfile.objects.filter(user=user).first()


def volunteer_sites(user: User) -> list[ReceptionPoint]:
    """The sites where the person is a volunteer (active memberships)."""
    return list(
        ReceptionPoint.objects.filter(
            memberships__user=user,
            memberships__role=Role.VOLUNTEER,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def slots_of(profile: VolunteerProfile | None) -> list[WeeklySlot]:
    if profile is None:
        return []
    return list(profile.slots.select_related("reception_point"))


def absences_of(profile: VolunteerProfile | None) -> list[Absence]:
    if profile is None:
        return []
    return list(profile.absences.all())


def _volunteer_memberships(site_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(role=Role.VOLUNTEER, reception_point_id=site_id)


def volunteers_for(scope: Scope) -> QuerySet[User]:
    """The volunteers of the site manager's site (those who left too: history is kept)."""
    if scope.role != Role.SITE_MANAGER or scope.reception_point_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            Exists(_volunteer_memberships(scope.reception_point_id).filter(user=OuterRef("pk")))
        )
        .select_related("volunteer_profile")
        .order_by("last_name", "first_name", "pk")
    )


def get_volunteer_or_404(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(volunteers_for(scope_of(request)), pk=pk)


def active_site_volunteers(site_id: int) -> QuerySet[User]:
    """The volunteers who act at a site now (active account and membership)."""
    return User.objects.filter(
        Exists(_volunteer_memberships(site_id).filter(user=OuterRef("pk"), is_active=True)),
        is_active=True,
    ).select_related("volunteer_profile")


def week_slots(site_id: int) -> list[WeeklySlot]:
    """Every weekly slot at the site of an active volunteer, with their absences."""
    return list(
        WeeklySlot.objects.filter(
            reception_point_id=site_id,
            profile__status="active",
            profile__user__is_active=True,
            profile__user__in=active_site_volunteers(site_id),
        )
        .select_related("profile__user")
        .prefetch_related(Prefetch("profile__absences"))
        .order_by("weekday", "starts_at", "profile__user__last_name")
    )


def declared_hours_for(scope: Scope) -> QuerySet[DeclaredHours]:
    qs = DeclaredHours.objects.select_related("user", "reception_point")
    if scope.role == Role.VOLUNTEER and scope.user is not None:
        return qs.filter(user=scope.user)
    if scope.role == Role.SITE_MANAGER:
        return qs.filter(reception_point_id=scope.reception_point_id)
    return qs.none()


def get_declared_hours_or_404(request: HttpRequest, pk: int) -> DeclaredHours:
    return get_object_or_404(declared_hours_for(scope_of(request)), pk=pk)


def candidates_for(scope: Scope) -> QuerySet[Candidate]:
    if scope.role != Role.SITE_MANAGER:
        return Candidate.objects.none()
    return Candidate.objects.filter(reception_point_id=scope.reception_point_id)


def get_candidate_or_404(request: HttpRequest, pk: int) -> Candidate:
    return get_object_or_404(candidates_for(scope_of(request)), pk=pk)


def public_sites() -> QuerySet[ReceptionPoint]:
    return ReceptionPoint.objects.active().order_by("name")


def get_public_site_or_404(pk: int) -> ReceptionPoint:
    return get_object_or_404(public_sites(), pk=pk)


def trainings_for(scope: Scope) -> QuerySet[Training]:
    qs = Training.objects.select_related("reception_point")
    if scope.is_national_admin or scope.is_lead_referent:
        return qs
    if scope.role in (Role.SITE_MANAGER, Role.STAFF):
        return qs.filter(reception_point_id__in=[scope.reception_point_id]) | qs.filter(
            reception_point__isnull=True
        )
    return qs.none()


def get_training_or_404(request: HttpRequest, pk: int) -> Training:
    return get_object_or_404(trainings_for(scope_of(request)), pk=pk)


def registrations_for(scope: Scope, training: Training) -> QuerySet[TrainingRegistration]:
    qs = training.registrations.select_related("partner_structure")
    if scope.is_lead_referent:
        return qs.filter(partner_structure_id=scope.partner_structure_id)
    return qs


def get_registration_or_404(
    request: HttpRequest, training: Training, pk: int
) -> TrainingRegistration:
    return get_object_or_404(registrations_for(scope_of(request), training), pk=pk)


def broadcasts_for(scope: Scope) -> QuerySet[Broadcast]:
    if scope.role != Role.SITE_MANAGER:
        return Broadcast.objects.none()
    return Broadcast.objects.filter(reception_point_id=scope.reception_point_id)


def get_broadcast_or_404(request: HttpRequest, pk: int) -> Broadcast:
    return get_object_or_404(broadcasts_for(scope_of(request)), pk=pk)


def my_broadcasts(scope: Scope) -> QuerySet[BroadcastRecipient]:
    if scope.role != Role.VOLUNTEER or scope.user is None:
        return BroadcastRecipient.objects.none()
    return (
        BroadcastRecipient.objects.filter(user=scope.user)
        .select_related("broadcast__reception_point")
        .order_by("-broadcast__sent_at")
    )


def get_my_broadcast_or_404(request: HttpRequest, pk: int) -> BroadcastRecipient:
    return get_object_or_404(my_broadcasts(scope_of(request)), broadcast_id=pk)


def get_my_slot_or_404(request: HttpRequest, pk: int) -> WeeklySlot:
    user = scope_of(request).user
    return get_object_or_404(
        WeeklySlot.objects.select_related("profile"), pk=pk, profile__user=user
    )


def get_my_absence_or_404(request: HttpRequest, pk: int) -> Absence:
    user = scope_of(request).user
    return get_object_or_404(Absence.objects.select_related("profile"), pk=pk, profile__user=user)
