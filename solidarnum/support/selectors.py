"""Scoped reads of support's records, and what other apps read of them (`sessions_run_by`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.accounts.scope import Scope, scope_of

from . import staffing
from .enums import AppointmentStatus, Presence, SessionKind
from .models import (
    ActivityRecord,
    Appointment,
    Attendance,
    Cohort,
    CohortSession,
    CourseModule,
    CourseTemplate,
    Enrolment,
    SlotPattern,
    TemplateSession,
    WaitingEntry,
    Workshop,
    WorkshopRegistration,
)
from .permissions import CATALOGUE_READERS, SITE_STAFF, SITE_TEAM


def local_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the site's time zone (aware)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


# --- Scoped querysets ---------------------------------------------------------------------------


def appointments_for(scope: Scope) -> QuerySet[Appointment]:
    """Staff: their site's bookings; a volunteer: their own; a référent: the bookings of the people
    they referred; nobody else."""
    qs = Appointment.objects.select_related("beneficiary", "volunteer", "reception_point")
    if scope.user is None:
        return qs.none()
    if scope.role in SITE_STAFF:
        return qs.filter(reception_point_id=scope.reception_point_id)
    if scope.role == Role.VOLUNTEER:
        return qs.filter(reception_point_id=scope.reception_point_id, volunteer=scope.user)
    if scope.role == Role.REFERENT:
        return qs.filter(beneficiary__referent=scope.user)
    return qs.none()


def get_appointment_or_404(request: HttpRequest, pk: int) -> Appointment:
    return get_object_or_404(appointments_for(scope_of(request)), pk=pk)


def slot_patterns_for(scope: Scope) -> QuerySet[SlotPattern]:
    if scope.role in SITE_STAFF:
        return SlotPattern.objects.filter(reception_point_id=scope.reception_point_id)
    return SlotPattern.objects.none()


def get_slot_pattern_or_404(request: HttpRequest, pk: int) -> SlotPattern:
    return get_object_or_404(slot_patterns_for(scope_of(request)), pk=pk)


def waiting_for(scope: Scope) -> QuerySet[WaitingEntry]:
    if scope.role in SITE_STAFF:
        return WaitingEntry.objects.filter(
            reception_point_id=scope.reception_point_id, served_at__isnull=True
        ).select_related("beneficiary")
    return WaitingEntry.objects.none()


def get_waiting_entry_or_404(request: HttpRequest, pk: int) -> WaitingEntry:
    return get_object_or_404(waiting_for(scope_of(request)), pk=pk)


def workshops_for(scope: Scope) -> QuerySet[Workshop]:
    """The site team sees its site's workshops (a volunteer may help at any of them)."""
    if scope.role in SITE_TEAM:
        return Workshop.objects.filter(reception_point_id=scope.reception_point_id)
    return Workshop.objects.none()


def get_workshop_or_404(request: HttpRequest, pk: int) -> Workshop:
    return get_object_or_404(workshops_for(scope_of(request)), pk=pk)


def registrations_for(scope: Scope) -> QuerySet[WorkshopRegistration]:
    return WorkshopRegistration.objects.filter(workshop__in=workshops_for(scope)).select_related(
        "beneficiary", "workshop"
    )


def cohorts_for(scope: Scope) -> QuerySet[Cohort]:
    if scope.role in SITE_TEAM:
        return Cohort.objects.filter(reception_point_id=scope.reception_point_id).select_related(
            "template", "partner_structure"
        )
    return Cohort.objects.none()


def get_cohort_or_404(request: HttpRequest, pk: int) -> Cohort:
    return get_object_or_404(cohorts_for(scope_of(request)), pk=pk)


def cohort_sessions_for(scope: Scope) -> QuerySet[CohortSession]:
    return CohortSession.objects.filter(cohort__in=cohorts_for(scope)).select_related(
        "cohort", "module", "template_session"
    )


def get_cohort_session_or_404(request: HttpRequest, pk: int) -> CohortSession:
    return get_object_or_404(cohort_sessions_for(scope_of(request)), pk=pk)


def activity_records_for(scope: Scope) -> QuerySet[ActivityRecord]:
    if scope.role in SITE_STAFF:
        return ActivityRecord.objects.filter(reception_point_id=scope.reception_point_id)
    if scope.role == Role.VOLUNTEER:
        return ActivityRecord.objects.filter(
            reception_point_id=scope.reception_point_id, animator=scope.user
        )
    return ActivityRecord.objects.none()


def get_activity_record_or_404(request: HttpRequest, pk: int) -> ActivityRecord:
    return get_object_or_404(activity_records_for(scope_of(request)), pk=pk)


# --- Who is free to animate ---------------------------------------------------------------------


def busy_user_ids(
    user_ids: Iterable[int],
    starts_at: datetime,
    ends_at: datetime,
    *,
    except_appointment: int | None = None,
) -> set[int]:
    """Of these users, those already animating something that overlaps [starts_at, ends_at)
    (leaving out one appointment being moved)."""
    ids = list(user_ids)
    if not ids:
        return set()
    busy = set(
        Appointment.objects.filter(
            volunteer_id__in=ids, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .exclude(pk__in=[except_appointment] if except_appointment else [])
        .values_list("volunteer_id", flat=True)
    )
    busy |= set(
        Workshop.animators.through.objects.filter(
            user_id__in=ids,
            workshop__cancelled_at__isnull=True,
            workshop__starts_at__lt=ends_at,
            workshop__ends_at__gt=starts_at,
        ).values_list("user_id", flat=True)
    )
    overlapping = CohortSession.objects.filter(
        cohort_id=OuterRef("cohort_id"), starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    busy |= set(
        Cohort.animators.through.objects.filter(user_id__in=ids)
        .filter(Exists(overlapping))
        .values_list("user_id", flat=True)
    )
    return busy


def site_animator_ids(site_id: int) -> list[int]:
    """The site's active volunteers and staff, volunteers first, then by name."""
    rows = (
        Membership.objects.active()
        .filter(reception_point_id=site_id, role__in=[*SITE_TEAM])
        .order_by("user__last_name", "user__first_name", "user_id")
        .values_list("user_id", "role")
    )
    volunteers = [pk for pk, role in rows if role == Role.VOLUNTEER]
    staff = [pk for pk, role in rows if role != Role.VOLUNTEER]
    return list(dict.fromkeys([*volunteers, *staff]))  # one row per person


def free_animator_ids(site_id: int, starts_at: datetime, ends_at: datetime) -> list[int]:
    """support's own rule: the site's team minus anyone busy at an overlapping time."""
    candidates = site_animator_ids(site_id)
    busy = busy_user_ids(candidates, starts_at, ends_at)
    return [pk for pk in candidates if pk not in busy]


# --- What the volunteers app reads: the sessions a user ran ---------------------------------------


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


@dataclass(frozen=True)
class SessionRun:
    user_id: int
    site_id: int
    starts_at: datetime
    duration_minutes: int
    kind: str  # SessionKind: "one_to_one" | "workshop" | "course"
    came: int  # the number of people who came
    beneficiary_id: int | None  # the person, for a one-to-one


def sessions_run_by(user_ids: Iterable[int], start: date, end: date) -> list[SessionRun]:
    """Per session each user animated between `start` and `end` (both included, local dates)
    that took place (not cancelled), in four queries, ordered by time."""
    ids = list(user_ids)
    if not ids:
        return []
    since, until = local_day_bounds(start, end)
    appointments = (
        Appointment.objects.filter(volunteer_id__in=ids, starts_at__gte=since, starts_at__lt=until)
        .exclude(status=AppointmentStatus.CANCELLED)
        .values_list(
            "volunteer_id", "reception_point_id", "starts_at", "ends_at", "status", "beneficiary_id"
        )
    )
    rows = [
        SessionRun(
            user,
            site,
            start_at,
            _minutes(start_at, end_at),
            SessionKind.ONE_TO_ONE,
            int(status == AppointmentStatus.CAME),
            person,
        )
        for user, site, start_at, end_at, status, person in appointments
    ]
    workshops = (
        Workshop.animators.through.objects.filter(
            user_id__in=ids,
            workshop__cancelled_at__isnull=True,
            workshop__starts_at__gte=since,
            workshop__starts_at__lt=until,
        )
        .annotate(
            came=Count("workshop__registrations", filter=Q(workshop__registrations__attended=True))
        )
        .values_list(
            "user_id",
            "workshop__reception_point_id",
            "workshop__starts_at",
            "workshop__ends_at",
            "came",
            "workshop__record__participants",
        )
    )
    # Anonymous participants count too: the record's total when it is larger.
    rows += [
        SessionRun(
            user,
            site,
            start_at,
            _minutes(start_at, end_at),
            SessionKind.WORKSHOP,
            max(came, recorded or 0),
            None,
        )
        for user, site, start_at, end_at, came, recorded in workshops
    ]
    present = (
        Attendance.objects.filter(session_id=OuterRef("pk"), presence=Presence.PRESENT)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    runs_by = Cohort.animators.through.objects.filter(user_id__in=ids)
    sessions = list(
        CohortSession.objects.filter(starts_at__gte=since, starts_at__lt=until)
        .filter(Exists(runs_by.filter(cohort_id=OuterRef("cohort_id"))))
        .annotate(came=Subquery(present))
        .values_list("cohort_id", "cohort__reception_point_id", "starts_at", "ends_at", "came")
    )
    animators: dict[int, list[int]] = {}
    for cohort_id, user_id in runs_by.filter(
        cohort_id__in={row[0] for row in sessions}
    ).values_list("cohort_id", "user_id"):
        animators.setdefault(cohort_id, []).append(user_id)
    rows += [
        SessionRun(
            user, site, start_at, _minutes(start_at, end_at), SessionKind.COURSE, came or 0, None
        )
        for cohort_id, site, start_at, end_at, came in sessions
        for user in animators.get(cohort_id, [])
    ]
    rows.sort(key=lambda r: (r.starts_at, r.user_id))
    return rows


def proposals_for(
    site_id: int, starts_at: datetime, ends_at: datetime, *, skill: str, person: Any = None
) -> list[tuple[int, str]]:
    """The free animators ranked by the staffing proposer, labelled with their reasons
    (three queries)."""
    need = staffing.Need(
        site_id=site_id,
        starts_at=starts_at,
        ends_at=ends_at,
        skill=skill,
        languages=tuple(
            c for c in (getattr(person, "languages", None) or ()) if isinstance(c, str)
        ),
        beneficiary_id=getattr(person, "pk", None),
    )
    proposals = staffing.propose(need, free_animator_ids(site_id, starts_at, ends_at))
    names = {
        user.pk: user.get_full_name() or user.email
        for user in User.objects.filter(pk__in=[p.user_id for p in proposals])
    }
    return [
        (p.user_id, " · ".join([names.get(p.user_id, "?"), *p.reasons]))
        for p in proposals
        if p.user_id in names
    ]


def team_users(site_id: int) -> QuerySet[User]:
    return User.objects.filter(pk__in=site_animator_ids(site_id))


def team_proposal_labels(site_id: int) -> list[tuple[int, str]]:
    """The site's team by name, for a choice made before the slot is known."""
    users = {u.pk: u for u in User.objects.filter(pk__in=site_animator_ids(site_id))}
    return [
        (pk, users[pk].get_full_name() or users[pk].email)
        for pk in site_animator_ids(site_id)
        if pk in users
    ]


def slot_pattern_of_site(site_id: int, pk: int) -> SlotPattern | None:
    return SlotPattern.objects.filter(reception_point_id=site_id, pk=pk).first()


def get_bookable_person_or_404(request: HttpRequest, public_id: str) -> Any:
    from .permanences.selectors import bookable_people_for

    return get_object_or_404(
        bookable_people_for(scope_of(request)).select_related("reception_point"),
        public_id=public_id,
    )


def get_appointment_by_token_or_404(token: Any) -> Appointment:
    """For its calendar file: not a cancelled one."""
    return get_object_or_404(
        Appointment.objects.select_related("reception_point")
        .annotate(person_languages=F("beneficiary__languages"))
        .exclude(status=AppointmentStatus.CANCELLED),
        public_token=token,
    )


def get_public_appointment_or_404(token: Any) -> Appointment:
    """The person's appointment for their page, whatever its state (a cancelled one says so),
    with its place and the languages of their file, in one query: the person's name, phone and
    file are not read."""
    found = (
        Appointment.objects.select_related("reception_point")
        .annotate(person_languages=F("beneficiary__languages"))
        .filter(public_token=token)
        .first()
    )
    if found is None:
        raise Http404
    return found


def has_record(appointment: Appointment) -> bool:
    return ActivityRecord.objects.filter(appointment=appointment).exists()


def file_section(beneficiary: Any) -> dict[str, Any]:
    """What the person's file shows of their support: no-shows, waiting, courses and their
    modules, the progress between the first and the latest diagnostic (seven queries)."""
    from .courses.selectors import courses_of_person
    from .permanences.selectors import no_show_counts

    return {
        "no_shows": no_show_counts([beneficiary.pk]).get(beneficiary.pk, 0),
        "waiting": WaitingEntry.objects.filter(
            beneficiary=beneficiary, served_at__isnull=True
        ).first(),
        "courses": [
            {
                "cohort": cohort,
                "progress": progress,
                "done": sum(1 for _title, completed in progress.modules if completed),
            }
            for cohort, progress in courses_of_person(beneficiary.pk)
        ],
        "progress": diagnostic_progress(beneficiary.pk),
    }


def diagnostic_progress(beneficiary_id: int) -> dict[str, Any] | None:
    """The profile and the abilities at the first diagnostic and at the latest one (one query);
    None before a second diagnostic."""
    from solidarnum.beneficiaries.diagnostic import QUESTIONS
    from solidarnum.beneficiaries.enums import Ability, Profile
    from solidarnum.beneficiaries.models import Diagnostic

    done = list(
        Diagnostic.objects.filter(beneficiary_id=beneficiary_id)
        .order_by("done_at", "pk")
        .values("done_at", "profile", "answers")
    )
    if len(done) < 2:
        return None
    first, last = done[0], done[-1]
    abilities = dict(Ability.choices)
    profiles = dict(Profile.choices)
    rows = [
        {
            "label": question.label,
            "before": abilities.get(first["answers"].get(question.code), "—"),
            "after": abilities.get(last["answers"].get(question.code), "—"),
            "changed": first["answers"].get(question.code) != last["answers"].get(question.code),
        }
        for question in QUESTIONS
    ]
    return {
        "before_on": first["done_at"],
        "after_on": last["done_at"],
        "profile_before": profiles.get(first["profile"], "—"),
        "profile_after": profiles.get(last["profile"], "—"),
        "rows": rows,
    }


def workshop_rows(scope: Scope, *, since: datetime) -> QuerySet[Workshop]:
    registered = Count("registrations", filter=Q(registrations__status="registered"))
    waiting = Count("registrations", filter=Q(registrations__status="waiting"))
    return (
        workshops_for(scope)
        .filter(starts_at__gte=since - timedelta(days=7), cancelled_at__isnull=True)
        .annotate(registered=registered, waiting=waiting)
        .order_by("starts_at")
    )


def registrations_of(workshop_id: int) -> QuerySet[WorkshopRegistration]:
    return (
        WorkshopRegistration.objects.filter(workshop_id=workshop_id)
        .select_related("beneficiary")
        .order_by("created_at", "pk")
    )


def get_registration_or_404(request: HttpRequest, pk: int) -> WorkshopRegistration:
    return get_object_or_404(registrations_for(scope_of(request)), pk=pk)


def workshop_has_record(workshop_id: int) -> bool:
    return ActivityRecord.objects.filter(workshop_id=workshop_id).exists()


def course_templates() -> QuerySet[CourseTemplate]:
    return CourseTemplate.objects.filter(is_active=True).order_by("name")


# The course catalogue: read by national admins and the site staff who open cohorts, active or
# not; its modules and half-days taken out of the course (retired, ADR 0042) are not found.


def course_templates_for(scope: Scope) -> QuerySet[CourseTemplate]:
    if CATALOGUE_READERS.allows(scope):
        return CourseTemplate.objects.all()
    return CourseTemplate.objects.none()


def get_course_template_or_404(request: HttpRequest, pk: int) -> CourseTemplate:
    return get_object_or_404(course_templates_for(scope_of(request)), pk=pk)


def get_course_module_or_404(request: HttpRequest, pk: int) -> CourseModule:
    modules = CourseModule.objects.filter(
        template__in=course_templates_for(scope_of(request)), retired_at__isnull=True
    ).select_related("template")
    return get_object_or_404(modules, pk=pk)


def get_template_session_or_404(request: HttpRequest, pk: int) -> TemplateSession:
    sessions = TemplateSession.objects.filter(
        module__template__in=course_templates_for(scope_of(request)),
        module__retired_at__isnull=True,
        retired_at__isnull=True,
    ).select_related("module", "module__template")
    return get_object_or_404(sessions, pk=pk)


def cohort_rows(scope: Scope) -> QuerySet[Cohort]:
    return (
        cohorts_for(scope)
        .annotate(people=Count("enrolments", distinct=True))
        .order_by("-starts_on")
    )


def enrolments_for(scope: Scope) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(cohort__in=cohorts_for(scope)).select_related(
        "beneficiary", "cohort", "cohort__template", "cohort__reception_point"
    )


def get_enrolment_or_404(request: HttpRequest, pk: int) -> Enrolment:
    return get_object_or_404(enrolments_for(scope_of(request)), pk=pk)
