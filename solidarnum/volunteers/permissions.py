"""Who may do what with volunteers: the view rules and `can_<verb>` predicates.

- a volunteer sees and edits only their own profile, availability, hours and answers;
- the site manager sees the site's volunteers (emergency contact included), checks profiles,
  decides the refurbishing skill, validates declared hours, handles candidates and writes to
  the site's volunteers;
- staff of a site see who can come this week and run trainings of professionals;
- national admins read counts and hours of every site, never a volunteer's profile;
- a lead référent registers the professionals of their structure to a training.
"""

from __future__ import annotations

from solidarnum.accounts.access import roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope

VOLUNTEERS = roles(Role.VOLUNTEER)
MANAGERS = roles(Role.SITE_MANAGER)
SITE_STAFF = roles(Role.SITE_MANAGER, Role.STAFF)
HOURS_READERS = roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER)
TRAINERS = roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER, Role.STAFF)
TRAINING_READERS = roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER, Role.STAFF, lead_referent=True)


def is_manager_of(scope: Scope, reception_point_id: int | None) -> bool:
    return (
        scope.role == Role.SITE_MANAGER
        and reception_point_id is not None
        and scope.reception_point_id == reception_point_id
    )


def can_manage_training(scope: Scope, reception_point_id: int | None) -> bool:
    """National admins every training; a site's staff their site's and the national ones."""
    if scope.is_national_admin:
        return True
    return scope.role in (Role.SITE_MANAGER, Role.STAFF) and reception_point_id in (
        None,
        scope.reception_point_id,
    )


def can_register_to_training(scope: Scope, partner_structure_id: int | None) -> bool:
    if scope.is_lead_referent:
        return partner_structure_id == scope.partner_structure_id
    return scope.is_national_admin or scope.role in (Role.SITE_MANAGER, Role.STAFF)
