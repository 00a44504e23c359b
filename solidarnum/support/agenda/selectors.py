"""The agenda of a site (day or week: who, with whom, where), a volunteer's own sessions, and
a person's upcoming sessions for their file; each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.support.enums import AppointmentStatus, RegistrationStatus, SessionKind
from solidarnum.support.models import (
    Appointment,
    CohortSession,
    Enrolment,
    Workshop,
    WorkshopRegistration,
)
from solidarnum.support.permanences.selectors import Slot, flagged_ids, slots_between
from solidarnum.support.selectors import local_day_bounds


@dataclass
class Entry:
    """One line of the agenda."""

    kind: str
    starts_at: datetime
    ends_at: datetime
    room: str
    title: str
    people: str = ""  # with whom: the person, or "5 / 8 inscrits"
    animators: str = ""
    url: str = ""
    slot: Slot | None = None
    is_flagged: bool = False
    status: str = ""


@dataclass
class Day:
    day: date
    entries: list[Entry] = field(default_factory=list)


# Pages of the sessions of each kind; a kind without its page yet links nowhere.
_PAGES = {"support:appointment_detail", "support:workshop_detail", "support:cohort_session"}


def _url(name: str, pk: int) -> str:
    return reverse(name, kwargs={"pk": pk}) if name in _PAGES else ""


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def agenda_of(site_id: int, start: date, end: date) -> list[Day]:
    """Every slot (free or booked), workshop and course session of the site, day by day
    (eight queries whatever the number of sessions)."""
    slots = slots_between(site_id, start, end)
    since, until = local_day_bounds(start, end)
    animators = Prefetch("animators", queryset=User.objects.order_by("first_name"))
    workshops = list(
        Workshop.objects.filter(
            reception_point_id=site_id,
            starts_at__gte=since,
            starts_at__lt=until,
            cancelled_at__isnull=True,
        )
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            )
        )
        .prefetch_related(animators)
    )
    sessions = list(
        CohortSession.objects.filter(
            cohort__reception_point_id=site_id, starts_at__gte=since, starts_at__lt=until
        )
        .select_related("cohort", "cohort__template", "module")
        .prefetch_related(
            Prefetch("cohort__animators", queryset=User.objects.order_by("first_name"))
        )
    )
    flagged = flagged_ids(s.appointment.beneficiary_id for s in slots if s.appointment)
    days = {
        start + timedelta(days=n): Day(start + timedelta(days=n))
        for n in range((end - start).days + 1)
    }
    for slot in slots:
        a = slot.appointment
        days[timezone.localtime(slot.starts_at).date()].entries.append(
            Entry(
                kind=SessionKind.ONE_TO_ONE,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                room=slot.pattern.room,
                title=str(SessionKind.ONE_TO_ONE.label),
                people=a.beneficiary.full_name if a else "",
                animators=_name(a.volunteer) if a else "",
                url=_url("support:appointment_detail", a.pk) if a else "",
                slot=slot,
                is_flagged=bool(a and a.beneficiary_id in flagged),
                status=a.get_status_display() if a else "",
            )
        )
    for w in workshops:
        days[timezone.localtime(w.starts_at).date()].entries.append(
            Entry(
                kind=SessionKind.WORKSHOP,
                starts_at=w.starts_at,
                ends_at=w.ends_at,
                room=w.address if w.is_outside else w.room,
                title=w.title,
                people=_("%(n)d / %(cap)d inscrits") % {"n": w.registered, "cap": w.capacity},
                animators=", ".join(_name(u) for u in w.animators.all()),
                url=_url("support:workshop_detail", w.pk),
            )
        )
    for s in sessions:
        days[timezone.localtime(s.starts_at).date()].entries.append(
            Entry(
                kind=SessionKind.COURSE,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                room=s.cohort.room,
                title=f"{s.cohort.template.name} · {s.cohort.name} · {s.module.title}",
                animators=", ".join(_name(u) for u in s.cohort.animators.all()),
                url=_url("support:cohort_session", s.pk),
            )
        )
    result = list(days.values())
    for day in result:
        day.entries.sort(key=lambda e: (e.starts_at, e.room))
    return result


def sessions_of_user(user_id: int, *, days: int = 30) -> list[Entry]:
    """A volunteer's (or staff member's) own coming sessions, soonest first (four queries)."""
    now = timezone.now()
    until = now + timedelta(days=days)
    entries = [
        Entry(
            kind=SessionKind.ONE_TO_ONE,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            room=a.room,
            title=str(SessionKind.ONE_TO_ONE.label),
            people=a.beneficiary.full_name,
            url=_url("support:appointment_detail", a.pk),
            status=a.get_status_display(),
        )
        for a in Appointment.objects.filter(
            volunteer_id=user_id,
            starts_at__gte=now - timedelta(hours=12),
            starts_at__lt=until,
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("beneficiary")
    ]
    entries += [
        Entry(
            kind=SessionKind.WORKSHOP,
            starts_at=w.starts_at,
            ends_at=w.ends_at,
            room=w.address if w.is_outside else w.room,
            title=w.title,
            url=_url("support:workshop_detail", w.pk),
        )
        for w in Workshop.objects.filter(
            animators=user_id,
            cancelled_at__isnull=True,
            starts_at__gte=now - timedelta(hours=12),
            starts_at__lt=until,
        )
    ]
    entries += [
        Entry(
            kind=SessionKind.COURSE,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            room=s.cohort.room,
            title=f"{s.cohort.template.name} · {s.cohort.name}",
            url=_url("support:cohort_session", s.pk),
        )
        for s in CohortSession.objects.filter(
            cohort__animators=user_id, starts_at__gte=now - timedelta(hours=12), starts_at__lt=until
        ).select_related("cohort", "cohort__template")
    ]
    return sorted(entries, key=lambda e: e.starts_at)


@dataclass(frozen=True)
class Upcoming:
    """A line of "Prochaines séances" on the person's file."""

    starts_at: datetime
    label: str

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%d/%m/%Y %H:%M} · {self.label}"


def upcoming_for_file(beneficiary: Any) -> list[Upcoming]:
    """The person's coming appointments, workshops and course sessions (three queries)."""
    now = timezone.now()
    items = [
        Upcoming(
            a.starts_at,
            _("Permanence connectée · %(room)s · avec %(who)s")
            % {"room": a.room, "who": a.volunteer.first_name or a.volunteer.email},
        )
        for a in Appointment.objects.filter(
            beneficiary=beneficiary, status=AppointmentStatus.UPCOMING, starts_at__gte=now
        )
        .select_related("volunteer")
        .order_by("starts_at")[:10]
    ]
    items += [
        Upcoming(r.workshop.starts_at, _("Atelier · %(title)s") % {"title": r.workshop.title})
        for r in WorkshopRegistration.objects.filter(
            beneficiary=beneficiary,
            status=RegistrationStatus.REGISTERED,
            workshop__starts_at__gte=now,
            workshop__cancelled_at__isnull=True,
        )
        .select_related("workshop")
        .order_by("workshop__starts_at")[:10]
    ]
    cohorts = Enrolment.objects.filter(beneficiary=beneficiary).values("cohort_id")
    items += [
        Upcoming(s.starts_at, f"{s.cohort.template.name} · {s.module.title}")
        for s in CohortSession.objects.filter(cohort_id__in=cohorts, starts_at__gte=now)
        .select_related("cohort__template", "module")
        .order_by("starts_at")[:5]
    ]
    return items
