"""What a cohort's pages and a person's file read: hours attended per person (only the sessions
held after they enrolled count), the rate against the course's threshold, module completion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from solidarnum.support.enums import Presence
from solidarnum.support.models import (
    Attendance,
    Cohort,
    CohortSession,
    CourseModule,
    CourseTemplate,
    Enrolment,
    TemplateSession,
)


@dataclass
class Progress:
    enrolment: Enrolment
    expected_minutes: int = 0  # sessions held (attendance taken) since they enrolled
    attended_minutes: int = 0
    planned_minutes: int = 0  # every session of the course since they enrolled
    threshold: int = 80
    modules: list[tuple[str, bool]] = field(default_factory=list)  # (title, completed)

    @property
    def rate(self) -> int:
        if not self.expected_minutes:
            return 0
        return round(100 * self.attended_minutes / self.expected_minutes)

    @property
    def reaches_threshold(self) -> bool:
        """Attended the course's threshold of all the hours planned since they enrolled."""
        return bool(self.planned_minutes) and (
            self.attended_minutes * 100 >= self.planned_minutes * self.threshold
        )

    @property
    def hours(self) -> str:
        hours, minutes = divmod(self.attended_minutes, 60)
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


def progress_of(
    cohort: Cohort, sessions: list[CohortSession], enrolments: list[Enrolment], marks: list[Any]
) -> dict[int, Progress]:
    """Per enrolment: the minutes expected and attended, and each module completed when the
    person attended the course's threshold of its planned minutes."""
    threshold = cohort.template.attendance_threshold
    by_pair = {(a.session_id, a.enrolment_id): a for a in marks}
    result: dict[int, Progress] = {}
    for enrolment in enrolments:
        progress = Progress(enrolment, threshold=threshold)
        module_minutes: dict[int, list[int]] = {}
        titles: dict[int, str] = {}
        for session in sessions:
            titles[session.module_id] = session.module.title
            planned = module_minutes.setdefault(session.module_id, [0, 0])
            if session.starts_at < enrolment.enrolled_at:
                continue  # enrolled after it started: not absent from it
            planned[0] += session.duration_minutes
            progress.planned_minutes += session.duration_minutes
            mark = by_pair.get((session.pk, enrolment.pk))
            attended = mark.minutes if mark and mark.presence == Presence.PRESENT else 0
            planned[1] += attended
            if mark is not None:
                progress.expected_minutes += session.duration_minutes
                progress.attended_minutes += attended
        progress.modules = [
            (titles[pk], bool(planned and attended * 100 >= planned * threshold))
            for pk, (planned, attended) in module_minutes.items()
        ]
        result[enrolment.pk] = progress
    return result


def cohort_board(cohort: Cohort) -> tuple[list[CohortSession], list[Progress]]:
    """The cohort's sessions and each person's progress (three queries)."""
    sessions = list(cohort.sessions.select_related("module").order_by("starts_at"))
    enrolments = list(
        cohort.enrolments.select_related("beneficiary").order_by("beneficiary__last_name", "pk")
    )
    marks = list(Attendance.objects.filter(session__cohort=cohort))
    progress = progress_of(cohort, sessions, enrolments, marks)
    return sessions, [progress[e.pk] for e in enrolments]


def total_minutes(cohort: Cohort, sessions: list[CohortSession]) -> int:
    return sum(s.duration_minutes for s in sessions)


def courses_of_person(beneficiary_id: int) -> list[tuple[Cohort, Progress]]:
    """The person's cohorts with their progress, for the file (four queries)."""
    enrolments = list(
        Enrolment.objects.filter(beneficiary_id=beneficiary_id).select_related(
            "cohort", "cohort__template"
        )
    )
    if not enrolments:
        return []
    cohorts = {e.cohort_id: e.cohort for e in enrolments}
    sessions = list(
        CohortSession.objects.filter(cohort_id__in=cohorts)
        .select_related("module")
        .order_by("starts_at")
    )
    marks = list(Attendance.objects.filter(enrolment__in=enrolments))
    result = []
    for enrolment in enrolments:
        cohort = cohorts[enrolment.cohort_id]
        own = [s for s in sessions if s.cohort_id == cohort.pk]
        result.append((cohort, progress_of(cohort, own, [enrolment], marks)[enrolment.pk]))
    return result


def sheet_rows(session: CohortSession) -> list[tuple[Enrolment, Attendance | None]]:
    """The attendance sheet: the people enrolled before the session started (two queries)."""
    enrolments = list(
        session.cohort.enrolments.filter(enrolled_at__lte=session.starts_at)
        .select_related("beneficiary")
        .prefetch_related(
            Prefetch(
                "attendance", queryset=Attendance.objects.filter(session=session), to_attr="marks"
            )
        )
        .order_by("beneficiary__last_name", "pk")
    )
    return [(e, e.marks[0] if e.marks else None) for e in enrolments]


# --- The catalogue ------------------------------------------------------------------------------

_LIVE_MODULE = Q(modules__retired_at__isnull=True)
_LIVE_SESSION = _LIVE_MODULE & Q(modules__sessions__retired_at__isnull=True)


def catalogue_rows(templates: QuerySet[CourseTemplate]) -> QuerySet[CourseTemplate]:
    """Each template with its modules, half-days and minutes planned (one query)."""
    return templates.annotate(
        module_count=Count("modules", filter=_LIVE_MODULE, distinct=True),
        session_count=Count("modules__sessions", filter=_LIVE_SESSION),
        planned_minutes=Sum("modules__sessions__duration_minutes", filter=_LIVE_SESSION),
    ).order_by("-is_active", "name")


@dataclass
class Outline:
    """A template's modules in order, each with its half-days, and the totals."""

    modules: Sequence[CourseModule]
    session_count: int
    planned_minutes: int


def outline_of(template: CourseTemplate) -> Outline:
    """The modules and half-days a cohort opened today would run (two queries)."""
    modules = list(
        template.modules.filter(retired_at__isnull=True)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=TemplateSession.objects.filter(retired_at__isnull=True).order_by("order"),
                to_attr="planned",
            )
        )
    )
    sessions = [s for m in modules for s in m.planned]
    return Outline(modules, len(sessions), sum(s.duration_minutes for s in sessions))
