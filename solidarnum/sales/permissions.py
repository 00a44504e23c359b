"""Who may do what at the till: the view rules and `can_<verb>` predicates.

- the site manager and staff of a reception point sell at its tills, refund, void, swap a
  defective code; only the site manager closes a session beyond the tolerance, overrides the
  one-device-of-a-kind rule and gives volunteers the till right;
- a volunteer sells only with the till right (`TillRight`), at their own site, and never voids
  nor refunds;
- national admins read the reports of every site, never sell.
"""

from __future__ import annotations

from solidarnum.accounts.access import roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope

from .models import TillRight

SITE_TEAM = (Role.SITE_MANAGER, Role.STAFF, Role.VOLUNTEER)
SITE_STAFF = (Role.SITE_MANAGER, Role.STAFF)

TILL_USERS = roles(*SITE_TEAM)
TILL_STAFF = roles(*SITE_STAFF)
SESSION_READERS = roles(Role.NATIONAL_ADMIN, *SITE_TEAM)
REPORT_READERS = roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER)
MANAGERS = roles(Role.SITE_MANAGER)


def is_staff_of(scope: Scope, reception_point_id: int | None) -> bool:
    return (
        scope.role in SITE_STAFF
        and reception_point_id is not None
        and scope.reception_point_id == reception_point_id
    )


def is_manager_of(scope: Scope, reception_point_id: int | None) -> bool:
    return scope.role == Role.SITE_MANAGER and scope.reception_point_id == reception_point_id


def has_till_right(scope: Scope) -> bool:
    """A volunteer's current till right (one query); staff always have it."""
    if scope.role in SITE_STAFF:
        return True
    if scope.role != Role.VOLUNTEER or scope.membership is None:
        return False
    return TillRight.objects.filter(membership=scope.membership, revoked_at__isnull=True).exists()


def can_sell(scope: Scope, reception_point_id: int | None) -> bool:
    """Sell at a till of this reception point: its staff, or its volunteer with the till right."""
    if reception_point_id is None or scope.reception_point_id != reception_point_id:
        return False
    return has_till_right(scope)


def can_correct(scope: Scope, reception_point_id: int | None) -> bool:
    """Refund, void, swap a defective code: the site's staff, never a volunteer."""
    return is_staff_of(scope, reception_point_id)
