"""The slots of permanences connectées, computed from the weekly patterns and their exceptions,
with the booking that holds each one; the waiting list; the no-show flags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import Appointment, SiteSettings, SlotException, SlotPattern
from solidarnum.support.selectors import local_day_bounds

# A person who did not come this many times is flagged to staff (never blocked).
NO_SHOW_FLAG = 2


@dataclass
class Slot:
    pattern: SlotPattern
    starts_at: datetime
    ends_at: datetime
    appointment: Appointment | None = None

    @property
    def is_free(self) -> bool:
        return self.appointment is None

    @property
    def key(self) -> str:
        """What a form posts to name the slot: the pattern and the local start."""
        return f"{self.pattern.pk}:{timezone.localtime(self.starts_at):%Y-%m-%dT%H:%M}"


def occurrence(pattern: SlotPattern, day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    starts_at = datetime.combine(day, pattern.start_time, tzinfo=zone)
    return starts_at, starts_at + pattern.duration


def runs_on(pattern: SlotPattern, day: date) -> bool:
    return (
        pattern.is_active
        and day.weekday() == pattern.weekday
        and pattern.valid_from <= day
        and (pattern.valid_until is None or day <= pattern.valid_until)
    )


def slots_between(site_id: int, start: date, end: date) -> list[Slot]:
    """Every slot of the site from `start` to `end` (included), each with its booking (three
    queries whatever the number of days or slots)."""
    patterns = list(
        SlotPattern.objects.filter(reception_point_id=site_id, is_active=True, valid_from__lte=end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .order_by("start_time", "room")
    )
    skipped = set(
        SlotException.objects.filter(pattern__in=patterns, on__gte=start, on__lte=end).values_list(
            "pattern_id", "on"
        )
    )
    since, until = local_day_bounds(start, end)
    booked = {
        (a.pattern_id, a.starts_at): a
        for a in Appointment.objects.filter(
            reception_point_id=site_id, starts_at__gte=since, starts_at__lt=until
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .exclude(pattern__isnull=True)
        .select_related("beneficiary", "volunteer")
    }
    slots = []
    day = start
    while day <= end:
        for pattern in patterns:
            if runs_on(pattern, day) and (pattern.pk, day) not in skipped:
                starts_at, ends_at = occurrence(pattern, day)
                slots.append(Slot(pattern, starts_at, ends_at, booked.get((pattern.pk, starts_at))))
        day += timedelta(days=1)
    return slots


def free_slots(site_id: int, *, days: int = 21) -> list[Slot]:
    """The free slots of the next `days` days that have not started."""
    now = timezone.now()
    today = timezone.localdate()
    return [
        slot
        for slot in slots_between(site_id, today, today + timedelta(days=days))
        if slot.is_free and slot.starts_at > now
    ]


def no_show_counts(beneficiary_ids: Iterable[int]) -> dict[int, int]:
    """Times each person did not come (absent, not excused), in one query."""
    ids = list(set(beneficiary_ids))
    if not ids:
        return {}
    return dict(
        Appointment.objects.filter(beneficiary_id__in=ids, status=AppointmentStatus.ABSENT)
        .values("beneficiary_id")
        .annotate(n=Count("pk"))
        .values_list("beneficiary_id", "n")
    )


def flagged_ids(beneficiary_ids: Iterable[int]) -> set[int]:
    return {pk for pk, n in no_show_counts(beneficiary_ids).items() if n >= NO_SHOW_FLAG}


def referents_may_book(site_id: int) -> bool:
    return SiteSettings.objects.filter(reception_point_id=site_id, referents_may_book=True).exists()


def bookable_people_for(scope: Scope) -> QuerySet[Beneficiary]:
    """Whom the caller may book: the files of a site's staff; for a référent, the people they
    referred to sites that let référents book."""
    qs = Beneficiary.objects.current().filter(anonymised_at__isnull=True)
    if scope.role in (Role.SITE_MANAGER, Role.STAFF):
        return qs.filter(reception_point_id=scope.reception_point_id)
    if scope.role == Role.REFERENT and scope.user is not None:
        allowing = SiteSettings.objects.filter(referents_may_book=True).values("reception_point_id")
        return qs.filter(referent=scope.user, reception_point_id__in=allowing)
    return qs.none()


def upcoming_of_person(beneficiary_id: int, *, limit: int = 10) -> list[Appointment]:
    return list(
        Appointment.objects.filter(
            beneficiary_id=beneficiary_id,
            status=AppointmentStatus.UPCOMING,
            starts_at__gte=timezone.now() - timedelta(hours=3),
        )
        .select_related("volunteer", "reception_point")
        .order_by("starts_at")[:limit]
    )
