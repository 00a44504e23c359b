"""Who may take a need of the agenda, and who fits it best: pure functions over plain facts.

`refusal(need, facts)` says why one volunteer cannot take a need (French, shown to staff), or
None; `rank(need, facts)` keeps those who can and orders them: the skill is required; then a
language the person speaks (required when the person speaks no French), continuity with the
person's previous volunteer, the fewest hours this month. Every proposal says why, in French.

Nothing here reads the database: `volunteers.staffing` loads the facts and registers these rules
with the agenda (`support.staffing`), so they are tested without a database, pattern by pattern.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.beneficiaries.labels import language_name

from .enums import Skill, Weekday

# The agenda's kinds of need, and the skill each asks of a volunteer.
SKILL_OF_NEED = {
    "one_to_one": Skill.ONE_TO_ONE,
    "workshop": Skill.WORKSHOP,
    "course": Skill.WORKSHOP,
    "refurbishing": Skill.REFURBISHING,
    "procedures": Skill.PROCEDURES,
}
FRENCH = "fr"


class NeedLike(Protocol):
    """What the rules read of a need (`support.staffing.Need` has it)."""

    @property
    def site_id(self) -> int: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def skill(self) -> str: ...
    @property
    def languages(self) -> tuple[str, ...]: ...
    @property
    def beneficiary_id(self) -> int | None: ...


@dataclass(frozen=True)
class Slot:
    site_id: int
    weekday: int
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class Facts:
    """What is known of one volunteer when a need is staffed."""

    user_id: int
    has_profile: bool = True
    is_active: bool = True
    site_ids: frozenset[int] = frozenset()
    skills: frozenset[str] = frozenset()
    languages: tuple[str, ...] = ()
    slots: tuple[Slot, ...] = ()
    absences: tuple[tuple[date, date], ...] = ()  # both days included
    minutes_this_month: int = 0
    accompanied: frozenset[int] = frozenset()  # the people they accompanied before
    is_employee: bool = False  # staff of the site: no availability pattern, never refused


@dataclass(frozen=True)
class Ranked:
    user_id: int
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _days(need: NeedLike) -> list[date]:
    start, end = _local(need.starts_at).date(), _local(need.ends_at).date()
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def covering_slot(need: NeedLike, facts: Facts) -> Slot | None:
    """The weekly slot at the need's site that covers the whole need, or None."""
    start, end = _local(need.starts_at), _local(need.ends_at)
    if start.date() != end.date():
        return None  # a need over midnight is covered by no weekly slot
    for slot in facts.slots:
        if (
            slot.site_id == need.site_id
            and slot.weekday == start.weekday()
            and slot.starts_at <= start.time()
            and end.time() <= slot.ends_at
        ):
            return slot
    return None


def absence_during(need: NeedLike, facts: Facts) -> tuple[date, date] | None:
    days = _days(need)
    for first, last in facts.absences:
        if any(first <= day <= last for day in days):
            return first, last
    return None


def required_skill(need: NeedLike) -> str | None:
    return SKILL_OF_NEED.get(need.skill)


def language_matters(need: NeedLike) -> bool:
    """The person's languages are known and French is not among them."""
    return bool(need.languages) and FRENCH not in need.languages


def shared_languages(need: NeedLike, facts: Facts) -> list[str]:
    """The person's languages other than French that the volunteer speaks."""
    return [code for code in need.languages if code != FRENCH and code in facts.languages]


def refusal(need: NeedLike, facts: Facts) -> str | None:
    """Why this volunteer cannot take the need, or None. The hard rules only: active, at that
    site, with the skill, not absent, within a weekly slot (the language is a proposal rule)."""
    if facts.is_employee:
        return None
    if not facts.has_profile:
        return _("Cette personne n'a pas encore rempli son profil de bénévole.")
    if not facts.is_active:
        return _("Cette personne est en pause ou a quitté le bénévolat.")
    if need.site_id not in facts.site_ids:
        return _("Cette personne n'est pas bénévole à ce point d'accueil.")
    skill = required_skill(need)
    if skill and skill not in facts.skills:
        return _("Cette personne n'a pas la compétence « %(skill)s ».") % {
            "skill": Skill(skill).label
        }
    absence = absence_during(need, facts)
    if absence:
        return _("Cette personne est absente du %(first)s au %(last)s.") % {
            "first": absence[0].strftime("%d/%m/%Y"),
            "last": absence[1].strftime("%d/%m/%Y"),
        }
    if covering_slot(need, facts) is None:
        return _("Cette personne n'est pas disponible à cet horaire.")
    return None


def hours_label(minutes: int) -> str:
    hours = round(minutes / 60)
    return ngettext("%(n)s h ce mois-ci", "%(n)s h ce mois-ci", hours) % {"n": hours}


def _reasons(need: NeedLike, facts: Facts) -> tuple[str, ...]:
    if facts.is_employee:
        return (_("salarié·e du point d'accueil"),)
    reasons = [
        _("parle %(language)s") % {"language": language_name(code).lower()}
        for code in shared_languages(need, facts)
    ]
    if need.beneficiary_id is not None and need.beneficiary_id in facts.accompanied:
        reasons.append(_("a déjà accompagné cette personne"))
    slot = covering_slot(need, facts)
    if slot is not None:
        reasons.append(
            _("disponible le %(day)s de %(start)s à %(end)s")
            % {
                "day": Weekday(slot.weekday).label,
                "start": slot.starts_at.strftime("%H:%M"),
                "end": slot.ends_at.strftime("%H:%M"),
            }
        )
    reasons.append(hours_label(facts.minutes_this_month))
    return tuple(reasons)


def rank(need: NeedLike, candidates: Iterable[Facts]) -> list[Ranked]:
    """The volunteers who can take the need, best first, each with its reasons; the site's
    employees after them, in the order given."""
    volunteers: list[tuple[tuple[int, int, int, int], Facts]] = []
    employees: list[Facts] = []
    for position, facts in enumerate(candidates):
        if facts.is_employee:
            employees.append(facts)
            continue
        if refusal(need, facts) is not None:
            continue
        speaks = bool(shared_languages(need, facts))
        if language_matters(need) and not speaks:
            continue
        continuity = need.beneficiary_id is not None and need.beneficiary_id in facts.accompanied
        key = (0 if speaks else 1, 0 if continuity else 1, facts.minutes_this_month, position)
        volunteers.append((key, facts))
    volunteers.sort(key=lambda item: item[0])
    ordered = [facts for _key, facts in volunteers] + employees
    return [Ranked(facts.user_id, _reasons(need, facts)) for facts in ordered]
