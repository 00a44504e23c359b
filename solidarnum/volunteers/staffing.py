"""The volunteers' rules for the agenda: load the facts of the candidates in a few queries, then
apply the pure rules of `pairing` (who may take a need, who fits it best, and why)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.support import staffing

from . import pairing
from .enums import VolunteerStatus
from .hours import selectors as hours
from .models import Absence, VolunteerProfile, WeeklySlot


def accompanied_by(user_ids: Iterable[int], beneficiary_id: int | None) -> set[int]:
    """The volunteers among `user_ids` who already accompanied this person (the agenda's
    one-to-one sessions of the last year)."""
    if beneficiary_id is None:
        return set()
    today = timezone.localdate()
    return {
        row.user_id
        for row in hours.session_rows(user_ids, today.replace(year=today.year - 1), today)
        if row.beneficiary_id == beneficiary_id
    }


def facts_for(need: pairing.NeedLike, user_ids: list[int]) -> list[pairing.Facts]:
    """The facts of each candidate, in the order given. Six queries whatever their number."""
    ids = list(dict.fromkeys(user_ids))
    memberships = Membership.objects.filter(user_id__in=ids, is_active=True, user__is_active=True)
    volunteer_sites: dict[int, set[int]] = defaultdict(set)
    employees: set[int] = set()
    for user_id, role, site_id in memberships.values_list("user_id", "role", "reception_point_id"):
        if role == Role.VOLUNTEER:
            volunteer_sites[user_id].add(site_id)
        elif role in (Role.STAFF, Role.SITE_MANAGER) and site_id == need.site_id:
            employees.add(user_id)
    profiles = {p.user_id: p for p in VolunteerProfile.objects.filter(user_id__in=ids)}
    slots: dict[int, list[pairing.Slot]] = defaultdict(list)
    for slot in WeeklySlot.objects.filter(profile__user_id__in=ids).select_related("profile"):
        slots[slot.profile.user_id].append(
            pairing.Slot(slot.reception_point_id, slot.weekday, slot.starts_at, slot.ends_at)
        )
    days = timezone.localtime(need.starts_at).date(), timezone.localtime(need.ends_at).date()
    absences: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for absence in Absence.objects.filter(
        profile__user_id__in=ids, starts_on__lte=days[1], ends_on__gte=days[0]
    ).select_related("profile"):
        absences[absence.profile.user_id].append((absence.starts_on, absence.ends_on))
    first, last = hours.month_bounds(timezone.localtime(need.starts_at).date())
    minutes = hours.minutes_by_user(ids, first, last)
    accompanied = accompanied_by(ids, need.beneficiary_id)
    result = []
    for user_id in ids:
        profile = profiles.get(user_id)
        # Staff of the site are employees there, even if they volunteer elsewhere.
        if user_id in employees and need.site_id not in volunteer_sites.get(user_id, set()):
            result.append(pairing.Facts(user_id, is_employee=True))
            continue
        result.append(
            pairing.Facts(
                user_id=user_id,
                has_profile=profile is not None,
                is_active=profile is not None and profile.status == VolunteerStatus.ACTIVE,
                site_ids=frozenset(volunteer_sites.get(user_id, ())),
                skills=frozenset(profile.skills if profile else ()),
                languages=tuple(profile.languages_spoken if profile else ()),
                slots=tuple(slots.get(user_id, ())),
                absences=tuple(absences.get(user_id, ())),
                minutes_this_month=minutes.get(user_id, 0),
                accompanied=frozenset({need.beneficiary_id})
                if user_id in accompanied and need.beneficiary_id is not None
                else frozenset(),
            )
        )
    return result


def propose(need: staffing.Need, candidate_ids: list[int]) -> list[staffing.Proposal]:
    """The agenda's proposer: the candidates who can take the need, best first, with why."""
    return [
        staffing.Proposal(user_id=ranked.user_id, reasons=ranked.reasons)
        for ranked in pairing.rank(need, facts_for(need, candidate_ids))
    ]


def check(need: staffing.Need, user_id: int) -> str | None:
    """The agenda's checker: why this person cannot be booked for the need, or None."""
    (facts,) = facts_for(need, [user_id])
    return pairing.refusal(need, facts)


def register() -> None:
    staffing.register_proposer(propose)
    staffing.register_checker(check)
