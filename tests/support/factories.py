"""Builders for the support tests: people, slots, bookings, workshops, cohorts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import (
    Appointment,
    Cohort,
    CohortSession,
    CourseModule,
    CourseTemplate,
    Enrolment,
    SlotPattern,
    TemplateSession,
    Workshop,
)
from tests.sales.factories import make_person, scope_of_user

__all__ = ["at", "make_person", "scope_of_user"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def next_weekday(weekday: int, *, weeks: int = 1) -> date:
    """That weekday, at least `weeks` weeks ahead (a day in the future, never today)."""
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def make_pattern(world: Any, *, site: Any = None, weekday: int = 1, hour: int = 14, **extra: Any):
    return SlotPattern.objects.create(
        reception_point=site or world.site_a,
        weekday=weekday,
        start_time=time(hour, 0),
        duration_minutes=extra.pop("duration_minutes", 90),
        room=extra.pop("room", "Salle 1"),
        valid_from=extra.pop("valid_from", timezone.localdate() - timedelta(days=60)),
        **extra,
    )


def make_appointment(
    world: Any,
    *,
    person: Any = None,
    volunteer: str = "volunteer_a",
    starts_at: datetime | None = None,
    minutes: int = 90,
    status: str = AppointmentStatus.UPCOMING,
    **extra: Any,
) -> Appointment:
    starts_at = starts_at or at(next_weekday(1), 14)
    return Appointment.objects.create(
        reception_point=extra.pop("site", world.site_a),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        room="Salle 1",
        beneficiary=person or make_person(world),
        volunteer=world.users[volunteer],
        status=status,
        **extra,
    )


def make_workshop(
    world: Any, *, starts_at: datetime | None = None, capacity: int = 8, animators=("staff_a",)
) -> Workshop:
    starts_at = starts_at or at(next_weekday(3), 10)
    workshop = Workshop.objects.create(
        reception_point=world.site_a,
        title="Créer sa boîte mail",
        theme="email",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        room="Salle 2",
        capacity=capacity,
    )
    workshop.animators.set([world.users[name] for name in animators])
    return workshop


def make_template(name: str = "Initiation", *, sessions: int = 4, minutes: int = 180, **extra):
    template = CourseTemplate.objects.create(
        name=name, kind=extra.pop("kind", "initiation"), **extra
    )
    module = CourseModule.objects.create(template=template, order=1, title="Les bases")
    for order in range(1, sessions + 1):
        TemplateSession.objects.create(
            module=module, order=order, title=f"Séance {order}", duration_minutes=minutes
        )
    return template


def make_cohort(
    world: Any, *, template: Any = None, start: date | None = None, animators=("staff_a",)
):
    template = template or make_template()
    start = start or timezone.localdate() - timedelta(days=14)
    cohort = Cohort.objects.create(
        template=template, reception_point=world.site_a, name="Groupe test", starts_on=start
    )
    cohort.animators.set([world.users[name] for name in animators])
    moment = at(start, 9)
    for session in TemplateSession.objects.filter(module__template=template):
        CohortSession.objects.create(
            cohort=cohort,
            template_session=session,
            module=session.module,
            starts_at=moment,
            ends_at=moment + timedelta(minutes=session.duration_minutes),
        )
        moment += timedelta(days=1)
    return cohort


def enrol(cohort: Any, person: Any, *, when: datetime | None = None) -> Enrolment:
    return Enrolment.objects.create(
        cohort=cohort, beneficiary=person, enrolled_at=when or at(cohort.starts_on, 8)
    )
