"""Volunteer hours: counted from what they ran (the agenda's sessions, device checks) plus the
hours they declared and the site manager validated; their value for funders (hours × rate).

Every total is computed with a few grouped queries whatever the number of volunteers: one per
source, grouped by volunteer and site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.equipment.models import DeviceCheck
from solidarnum.network.models import ReceptionPoint
from solidarnum.support.enums import SessionKind
from solidarnum.support.selectors import sessions_run_by
from solidarnum.volunteers.enums import HoursStatus
from solidarnum.volunteers.models import DeclaredHours

CENT = Decimal("0.01")


def hourly_rate() -> Decimal:
    return Decimal(str(settings.VOLUNTEERS_HOURLY_RATE))


@dataclass
class Totals:
    declared_minutes: int = 0
    session_minutes: int = 0
    check_minutes: int = 0
    sessions: int = 0
    checks: int = 0
    people: int = 0
    beneficiaries: set[int] = field(default_factory=set)

    @property
    def minutes(self) -> int:
        return self.declared_minutes + self.session_minutes + self.check_minutes

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(CENT, ROUND_HALF_UP)

    @property
    def value(self) -> Decimal:
        return (self.hours * hourly_rate()).quantize(CENT, ROUND_HALF_UP)

    def add(self, other: Totals) -> None:
        self.declared_minutes += other.declared_minutes
        self.session_minutes += other.session_minutes
        self.check_minutes += other.check_minutes
        self.sessions += other.sessions
        self.checks += other.checks
        self.people += other.people
        self.beneficiaries |= other.beneficiaries


@dataclass(frozen=True)
class SessionRow:
    """One session a volunteer ran, as the agenda reports it."""

    user_id: int
    site_id: int
    starts_at: datetime
    minutes: int
    kind: str
    people: int
    beneficiary_id: int | None = None


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in local time."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def session_rows(user_ids: Iterable[int], start: date, end: date) -> list[SessionRow]:
    """The sessions the agenda (`support.selectors.sessions_run_by`) says these volunteers ran
    between the two dates (both included) and that have started: a booked session to come is
    not an hour given yet."""
    now = timezone.now()
    return [
        SessionRow(
            user_id=run.user_id,
            site_id=run.site_id,
            starts_at=run.starts_at,
            minutes=run.duration_minutes,
            kind=str(SessionKind(run.kind).label) if run.kind in SessionKind.values else run.kind,
            people=run.came,
            beneficiary_id=run.beneficiary_id,
        )
        for run in sessions_run_by(user_ids, start, end)
        if run.starts_at <= now
    ]


def volunteer_ids(site_id: int | None = None) -> list[int]:
    """Everyone who is or was a volunteer (of one site, or of any)."""
    qs = Membership.objects.filter(role=Role.VOLUNTEER)
    if site_id is not None:
        qs = qs.filter(reception_point_id=site_id)
    return list(qs.values_list("user_id", flat=True).distinct())


def totals(
    *, start: date, end: date, site_id: int | None = None, user_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], Totals]:
    """(volunteer, site) -> their totals between the two dates, both included."""
    ids = list(user_ids) if user_ids is not None else volunteer_ids(site_id)
    result: dict[tuple[int, int], Totals] = defaultdict(Totals)
    if not ids:
        return result
    declared = DeclaredHours.objects.filter(
        user_id__in=ids, status=HoursStatus.VALIDATED, worked_on__range=(start, end)
    )
    if site_id is not None:
        declared = declared.filter(reception_point_id=site_id)
    for row in declared.values("user_id", "reception_point_id").annotate(m=Sum("minutes")):
        result[(row["user_id"], row["reception_point_id"])].declared_minutes += row["m"] or 0
    low, high = _bounds(start, end)
    checks = DeviceCheck.objects.filter(
        Exists(
            Membership.objects.filter(
                user_id=OuterRef("performed_by_id"),
                role=Role.VOLUNTEER,
                reception_point_id=OuterRef("reception_point_id"),
            )
        ),
        performed_by_id__in=ids,
        performed_at__gte=low,
        performed_at__lt=high,
    )
    if site_id is not None:
        checks = checks.filter(reception_point_id=site_id)
    per_check = int(settings.VOLUNTEERS_DEVICE_CHECK_MINUTES)
    grouped = checks.values_list("performed_by_id", "reception_point_id").annotate(n=Count("id"))
    for user_id, check_site_id, count in grouped:
        entry = result[(user_id, check_site_id)]
        entry.checks += count
        entry.check_minutes += count * per_check
    for session in session_rows(ids, start, end):
        if site_id is not None and session.site_id != site_id:
            continue
        entry = result[(session.user_id, session.site_id)]
        entry.sessions += 1
        entry.session_minutes += session.minutes
        entry.people += session.people
        if session.beneficiary_id is not None:
            entry.beneficiaries.add(session.beneficiary_id)
    return result


def minutes_by_user(user_ids: Iterable[int], start: date, end: date) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for (user_id, _site), entry in totals(start=start, end=end, user_ids=user_ids).items():
        out[user_id] += entry.minutes
    return out


def month_bounds(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


@dataclass(frozen=True)
class VolunteerLine:
    user: User
    totals: Totals


def by_volunteer(site_id: int, start: date, end: date) -> list[VolunteerLine]:
    """The site's volunteers with their totals, most hours first."""
    found = totals(start=start, end=end, site_id=site_id)
    users = User.objects.in_bulk([user_id for user_id, _site in found])
    lines = [
        VolunteerLine(users[user_id], entry)
        for (user_id, _site), entry in found.items()
        if user_id in users
    ]
    return sorted(lines, key=lambda line: (-line.totals.minutes, str(line.user)))


@dataclass(frozen=True)
class SiteLine:
    site: ReceptionPoint
    volunteers: int
    totals: Totals


def by_site(start: date, end: date) -> list[SiteLine]:
    """Every site: its active volunteers and their totals (counts and hours only)."""
    per_site: dict[int, Totals] = defaultdict(Totals)
    for (_user, site_id), entry in totals(start=start, end=end).items():
        per_site[site_id].add(entry)
    counts = dict(
        Membership.objects.active()
        .filter(role=Role.VOLUNTEER)
        .values_list("reception_point_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("reception_point_id", "n")
    )
    sites = ReceptionPoint.objects.filter(pk__in=set(per_site) | set(counts)).order_by("name")
    return [SiteLine(site, counts.get(site.pk, 0), per_site[site.pk]) for site in sites]


def grand_total(lines: Iterable[SiteLine] | Iterable[VolunteerLine]) -> Totals:
    total = Totals()
    for line in lines:
        total.add(line.totals)
    return total


def grand_total_of(found: dict[tuple[int, int], Totals]) -> Totals:
    total = Totals()
    for entry in found.values():
        total.add(entry)
    return total
