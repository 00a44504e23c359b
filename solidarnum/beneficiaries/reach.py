"""The reach extension point: which files a volunteer sees, with the reduced view.

A volunteer sees only the people they accompany, and beneficiaries does not know who that is:
the apps above it that do (the agenda: appointments, workshops, cohorts) register a function
that returns, for a volunteer's scope, a `Q` on `Beneficiary` (usually `pk__in` a subquery).
`beneficiaries_for` ORs them into its one query; without any registration a volunteer sees no
file (ADR 0036).

    from solidarnum.beneficiaries import reach
    reach.register(people_i_accompany)
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from solidarnum.accounts.scope import Scope

Reach = Callable[[Scope], Q]

_reaches: list[Reach] = []


def register(fn: Reach) -> None:
    if fn not in _reaches:
        _reaches.append(fn)


def unregister(fn: Reach) -> None:
    if fn in _reaches:
        _reaches.remove(fn)


def volunteer_reach(scope: Scope) -> Q:
    """The files the volunteer of `scope` accompanies; none when nothing is registered."""
    condition = Q(pk__in=[])
    for fn in _reaches:
        condition |= fn(scope)
    return condition
