"""The staffing extension point: `volunteers` (above support) ranks and filters who animates.

support computes the candidates itself (the site's active volunteers and staff, minus anyone
already booked at an overlapping time, under a row lock), then asks `propose` to rank them; its
booking services call `refusal_for` inside their transaction and refuse with that message.
`volunteers` registers its functions from its `AppConfig.ready()`:

    from solidarnum.support import staffing
    staffing.register_proposer(rank_by_languages_and_continuity)
    staffing.register_checker(refuse_outside_availability)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Need:
    site_id: int
    starts_at: datetime  # aware
    ends_at: datetime
    skill: str  # "one_to_one" | "workshop" | "course"
    languages: tuple[str, ...]  # the person's languages (codes), () when unknown / collective
    beneficiary_id: int | None  # the person, for continuity with their previous volunteer


@dataclass(frozen=True)
class Proposal:
    user_id: int
    # Short French reasons shown to staff ("parle arabe", "a déjà accompagné cette personne").
    reasons: tuple[str, ...]


Proposer = Callable[[Need, list[int]], list[Proposal]]  # candidate user ids -> ranked, filtered
Checker = Callable[[Need, int], str | None]  # user id -> French refusal, or None

_proposers: list[Proposer] = []
_checkers: list[Checker] = []


def register_proposer(fn: Proposer) -> None:
    """The last registered proposer ranks (a second registration of the same one is ignored)."""
    if fn not in _proposers:
        _proposers.append(fn)


def register_checker(fn: Checker) -> None:
    if fn not in _checkers:
        _checkers.append(fn)


def propose(need: Need, candidate_ids: list[int]) -> list[Proposal]:
    """Ranked proposals; without a registered proposer, the candidates in the given order."""
    if not _proposers:
        return [Proposal(user_id=pk, reasons=()) for pk in candidate_ids]
    return _proposers[-1](need, list(candidate_ids))


def refusal_for(need: Need, user_id: int) -> str | None:
    """The first refusal of the registered checkers, or None."""
    for check in _checkers:
        refusal = check(need, user_id)
        if refusal:
            return refusal
    return None


@contextmanager
def only(*, proposers: Iterable[Proposer] = (), checkers: Iterable[Checker] = ()) -> Iterator[None]:
    """Run the block with only these functions registered, then put back those registered
    before, whatever happened inside (tests: the agenda's own rules, or one rule alone)."""
    saved = list(_proposers), list(_checkers)
    _proposers[:] = list(proposers)
    _checkers[:] = list(checkers)
    try:
        yield
    finally:
        _proposers[:], _checkers[:] = saved
