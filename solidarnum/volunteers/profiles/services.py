"""Writes on a volunteer's profile, availability and absences; the site manager's check.

The refurbishing skill is decided here (ADR 0038): the profile holds it, and every volunteer
membership of the person carries it as `Membership.can_check_devices`, the flag the request
scope reads for device checks, kept in step in the same transaction.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.volunteers.enums import Skill, VolunteerStatus, Weekday
from solidarnum.volunteers.models import Absence, VolunteerProfile, WeeklySlot
from solidarnum.volunteers.permissions import is_manager_of

# What the volunteer fills in themselves (the refurbishing skill is the manager's decision).
PROFILE_FIELDS = (
    "phone",
    "contact_channel",
    "skills",
    "languages_spoken",
    "languages_read",
    "started_on",
    "charter_signed_on",
    "charter_version",
    "emergency_contact_name",
    "emergency_contact_phone",
)


def _is_volunteer(user: User) -> bool:
    return Membership.objects.filter(user=user, role=Role.VOLUNTEER, is_active=True).exists()


def _locked_profile(user: User) -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.get_or_create(user=user)
    return VolunteerProfile.objects.select_for_update().get(pk=profile.pk)


def _sync_device_skill(profile: VolunteerProfile, *, acting_user: User) -> None:
    """Every volunteer membership of the person carries the profile's refurbishing skill."""
    value = Skill.REFURBISHING in profile.skills
    memberships = list(
        Membership.objects.filter(user_id=profile.user_id, role=Role.VOLUNTEER).exclude(
            can_check_devices=value
        )
    )
    for membership in memberships:
        membership.can_check_devices = value
        membership.save(update_fields=["can_check_devices"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=membership,
            changed_fields=["can_check_devices"],
        )


@transaction.atomic
def save_profile(*, acting_user: User, data: dict[str, Any]) -> VolunteerProfile:
    """The volunteer fills or changes their own profile; the site manager checks it again."""
    if not _is_volunteer(acting_user):
        raise ServiceError(_("Seuls les bénévoles ont un profil de bénévole."))
    profile = _locked_profile(acting_user)
    if data.get("charter_signed_on") and not data.get("charter_version"):
        raise ServiceError(_("Indiquez la version de la charte signée."))
    if data.get("charter_signed_on") and data["charter_signed_on"] > timezone.localdate():
        raise ServiceError(_("La date de signature de la charte ne peut pas être dans le futur."))
    skills = [s for s in data.get("skills", []) if s in Skill.values and s != Skill.REFURBISHING]
    if Skill.REFURBISHING in profile.skills:
        skills.append(Skill.REFURBISHING)  # kept: only the site manager removes it
    changed = []
    for name in PROFILE_FIELDS:
        value = skills if name == "skills" else data.get(name, getattr(profile, name))
        if value is None and name not in ("started_on", "charter_signed_on"):
            value = ""
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    profile.checked_at = None
    profile.checked_by = None
    profile.save()
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=profile,
        changed_fields=changed or ["checked_at"],
    )
    return profile


@transaction.atomic
def review_profile(
    *,
    acting_user: User,
    scope: Scope,
    volunteer: User,
    refurbishing: bool,
    observed_on: date | None,
    refurbishing_trained_on: date | None,
) -> VolunteerProfile:
    """The site manager checks a profile, decides the refurbishing skill and ticks the
    onboarding steps."""
    if not Membership.objects.filter(
        user=volunteer, role=Role.VOLUNTEER, reception_point_id=scope.reception_point_id
    ).exists() or not is_manager_of(scope, scope.reception_point_id):
        raise ServiceError(_("Cette personne n'est pas bénévole à votre point d'accueil."))
    today = timezone.localdate()
    if (observed_on and observed_on > today) or (
        refurbishing_trained_on and refurbishing_trained_on > today
    ):
        raise ServiceError(_("Une étape ne peut pas être datée dans le futur."))
    profile = _locked_profile(volunteer)
    skills = [s for s in profile.skills if s != Skill.REFURBISHING]
    if refurbishing:
        skills.append(Skill.REFURBISHING)
    changed = [
        name
        for name, value in (
            ("skills", skills),
            ("observed_on", observed_on),
            ("refurbishing_trained_on", refurbishing_trained_on),
        )
        if getattr(profile, name) != value
    ]
    profile.skills = skills
    profile.observed_on = observed_on
    profile.refurbishing_trained_on = refurbishing_trained_on
    profile.checked_at = timezone.now()
    profile.checked_by = acting_user
    profile.save()
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=profile,
        changed_fields=[*changed, "checked_at"],
    )
    _sync_device_skill(profile, acting_user=acting_user)
    return profile


@transaction.atomic
def change_status(*, acting_user: User, status: VolunteerStatus) -> VolunteerProfile:
    """The volunteer pauses, comes back, or leaves. Leaving deactivates the account and its
    volunteer memberships; the profile and the hours stay (history)."""
    if not _is_volunteer(acting_user):
        raise ServiceError(_("Seuls les bénévoles ont un profil de bénévole."))
    profile = _locked_profile(acting_user)
    if profile.status == status:
        raise ServiceError(_("Votre statut est déjà celui-ci."))
    now = timezone.now()
    profile.status = status
    profile.status_changed_at = now
    profile.save(update_fields=["status", "status_changed_at", "updated_at"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=profile,
        changed_fields=["status", "status_changed_at"],
    )
    if status == VolunteerStatus.LEFT:
        memberships = Membership.objects.filter(
            user=acting_user, role=Role.VOLUNTEER, is_active=True
        )
        for membership in memberships:
            membership.is_active = False
            membership.deactivated_at = now
            membership.save(update_fields=["is_active", "deactivated_at"])
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=membership,
                changed_fields=["is_active", "deactivated_at"],
            )
        # Other roles (staff elsewhere) keep the account open.
        if not Membership.objects.filter(user=acting_user, is_active=True).exists():
            acting_user.is_active = False
            acting_user.save(update_fields=["is_active"])
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=acting_user,
                changed_fields=["is_active"],
            )
    return profile


def _overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    return a_start < b_end and b_start < a_end


@transaction.atomic
def add_slot(
    *, acting_user: User, reception_point_id: int, weekday: int, starts_at: time, ends_at: time
) -> WeeklySlot:
    """A weekly slot; refused when it overlaps another one of the person (at any site: one
    person is at one place at a time)."""
    if not Membership.objects.filter(
        user=acting_user,
        role=Role.VOLUNTEER,
        reception_point_id=reception_point_id,
        is_active=True,
    ).exists():
        raise ServiceError(_("Vous n'êtes pas bénévole à ce point d'accueil."))
    if weekday not in Weekday.values:
        raise ServiceError(_("Choisissez un jour de la semaine."))
    if ends_at <= starts_at:
        raise ServiceError(_("L'heure de fin doit être après l'heure de début."))
    profile = _locked_profile(acting_user)
    for other in profile.slots.filter(weekday=weekday):
        if _overlaps(starts_at, ends_at, other.starts_at, other.ends_at):
            raise ServiceError(
                _("Ce créneau chevauche votre créneau du %(day)s de %(start)s à %(end)s.")
                % {
                    "day": Weekday(weekday).label,
                    "start": other.starts_at.strftime("%H:%M"),
                    "end": other.ends_at.strftime("%H:%M"),
                }
            )
    slot = WeeklySlot.objects.create(
        profile=profile,
        reception_point_id=reception_point_id,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=slot,
        changed_fields=["weekday", "starts_at", "ends_at"],
    )
    return slot


@transaction.atomic
def remove_slot(*, acting_user: User, slot: WeeklySlot) -> None:
    if slot.profile.user_id != acting_user.pk:
        raise ServiceError(_("Ce créneau n'est pas le vôtre."))
    record(actor=acting_user, action=AuditAction.DELETE, obj=slot, changed_fields=[])
    slot.delete()


@transaction.atomic
def add_absence(*, acting_user: User, starts_on: date, ends_on: date) -> Absence:
    if ends_on < starts_on:
        raise ServiceError(_("La fin de l'absence doit être après son début."))
    profile = _locked_profile(acting_user)
    overlapping = profile.absences.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping is not None:
        raise ServiceError(
            _("Cette absence chevauche celle du %(first)s au %(last)s.")
            % {
                "first": overlapping.starts_on.strftime("%d/%m/%Y"),
                "last": overlapping.ends_on.strftime("%d/%m/%Y"),
            }
        )
    absence = Absence.objects.create(profile=profile, starts_on=starts_on, ends_on=ends_on)
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=absence,
        changed_fields=["starts_on", "ends_on"],
    )
    return absence


@transaction.atomic
def remove_absence(*, acting_user: User, absence: Absence) -> None:
    if absence.profile.user_id != acting_user.pk:
        raise ServiceError(_("Cette absence n'est pas la vôtre."))
    record(actor=acting_user, action=AuditAction.DELETE, obj=absence, changed_fields=[])
    absence.delete()
