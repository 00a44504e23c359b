"""Role predicates: `can_<verb>_<noun>(scope, ...)`. Tested as a role × action matrix."""

from .enums import SITE_ROLES, Role
from .models import Membership
from .scope import Scope


def can_manage_network(scope: Scope) -> bool:
    """Create and edit any place, partner, donor or refurbisher."""
    return scope.is_national_admin


def can_edit_reception_point(scope: Scope, reception_point_id: int) -> bool:
    if scope.is_national_admin:
        return True
    return scope.role == Role.SITE_MANAGER and scope.reception_point_id == reception_point_id


def invitable_roles(scope: Scope) -> list[Role]:
    """The roles the caller may hand out through an invitation."""
    if scope.is_national_admin:
        return list(Role)
    if scope.role == Role.SITE_MANAGER:
        return [Role.STAFF, Role.VOLUNTEER]
    if scope.is_lead_referent:
        return [Role.REFERENT]
    return []


def can_invite(scope: Scope) -> bool:
    return bool(invitable_roles(scope))


def can_deactivate_membership(scope: Scope, membership: Membership) -> bool:
    if not membership.is_active or membership.user_id == getattr(scope.user, "pk", None):
        return False
    if scope.is_national_admin:
        return True
    if scope.role == Role.SITE_MANAGER:
        return (
            membership.role in SITE_ROLES - {Role.SITE_MANAGER}
            and membership.reception_point_id == scope.reception_point_id
        )
    if scope.is_lead_referent:
        return (
            membership.role == Role.REFERENT
            and membership.partner_structure_id == scope.partner_structure_id
        )
    return False


def can_view_audit(scope: Scope) -> bool:
    return scope.is_national_admin


def can_set_device_skill(scope: Scope, membership: Membership) -> bool:
    """Give or remove the refurbishing skill (device checks) on a staff membership. A
    volunteer's skill is decided in their volunteer profile, which keeps the flag of their
    memberships in step (ADR 0038)."""
    if not membership.is_active or membership.role not in SITE_ROLES - {Role.VOLUNTEER}:
        return False
    if scope.is_national_admin:
        return True
    return (
        scope.role == Role.SITE_MANAGER
        and membership.reception_point_id == scope.reception_point_id
    )


def can_unlock_account(scope: Scope, membership: Membership) -> bool:
    """Lift the lock put on an account after repeated failed logins (ADR 0015): the national
    team for anyone, a site manager for the staff and volunteers of their own site."""
    if not membership.is_active or membership.user_id == getattr(scope.user, "pk", None):
        return False
    if scope.is_national_admin:
        return True
    return (
        scope.role == Role.SITE_MANAGER
        and membership.role in SITE_ROLES - {Role.SITE_MANAGER}
        and membership.reception_point_id == scope.reception_point_id
    )
