"""Who may do what in support: the view rules and `can_<verb>` predicates.

- the site manager and staff of a reception point publish slots, book, run workshops and
  cohorts, take attendance, see the site's agenda and its satisfaction rates;
- a volunteer sees and runs their own sessions (marks who came, records the activity) and,
  for a person they accompany, the reduced file view;
- a référent books a slot for a person they referred when the site allows it, and sees only the
  bookings of the people they referred;
- national admins read the satisfaction rates of every site;
- the course catalogue (templates, modules, half-days) is read by national admins and the site
  staff who open cohorts, and edited by national admins only (ADR 0042).
"""

from __future__ import annotations

from solidarnum.accounts.access import roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope

SITE_STAFF = (Role.SITE_MANAGER, Role.STAFF)
SITE_TEAM = (*SITE_STAFF, Role.VOLUNTEER)

STAFF = roles(*SITE_STAFF)
TEAM = roles(*SITE_TEAM)
BOOKERS = roles(*SITE_STAFF, Role.REFERENT)
SESSION_READERS = roles(*SITE_TEAM, Role.REFERENT)
RATE_READERS = roles(Role.NATIONAL_ADMIN, *SITE_STAFF)
MANAGERS = roles(Role.SITE_MANAGER)
CATALOGUE_READERS = roles(Role.NATIONAL_ADMIN, *SITE_STAFF)
CATALOGUE_EDITORS = roles(Role.NATIONAL_ADMIN)


def can_edit_catalogue(scope: Scope) -> bool:
    return CATALOGUE_EDITORS.allows(scope)


def is_staff_of(scope: Scope, reception_point_id: int | None) -> bool:
    return (
        scope.role in SITE_STAFF
        and reception_point_id is not None
        and scope.reception_point_id == reception_point_id
    )


def is_team_of(scope: Scope, reception_point_id: int | None) -> bool:
    return (
        scope.role in SITE_TEAM
        and reception_point_id is not None
        and scope.reception_point_id == reception_point_id
    )


def can_run(scope: Scope, *, reception_point_id: int, animator_ids: set[int]) -> bool:
    """Mark who came, take attendance, record the activity: the site's staff, or the volunteer
    who animates it."""
    if is_staff_of(scope, reception_point_id):
        return True
    return (
        scope.role == Role.VOLUNTEER
        and scope.reception_point_id == reception_point_id
        and scope.user is not None
        and scope.user.pk in animator_ids
    )
