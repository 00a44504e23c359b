"""The request scope: who is acting, with which role, for which organisation.

Resolved once per request by `ScopeMiddleware` and read everywhere else as `request.scope`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .enums import DONOR_ROLES, REFURBISHER_ROLES, SITE_ROLES, STRUCTURE_ROLES, Role

if TYPE_CHECKING:
    from .models import Membership, User

SESSION_KEY = "solidarnum_membership_id"


@dataclass(frozen=True)
class Scope:
    user: User | None
    membership: Membership | None = None
    memberships: tuple[Membership, ...] = field(default_factory=tuple)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def role(self) -> Role | None:
        return Role(self.membership.role) if self.membership else None

    @property
    def reception_point_id(self) -> int | None:
        return self.membership.reception_point_id if self.membership else None

    @property
    def partner_structure_id(self) -> int | None:
        return self.membership.partner_structure_id if self.membership else None

    @property
    def donor_id(self) -> int | None:
        return self.membership.donor_id if self.membership else None

    @property
    def refurbisher_id(self) -> int | None:
        return self.membership.refurbisher_id if self.membership else None

    @property
    def is_national_admin(self) -> bool:
        return self.role == Role.NATIONAL_ADMIN

    @property
    def is_site_member(self) -> bool:
        return self.role in SITE_ROLES

    @property
    def is_structure_member(self) -> bool:
        return self.role in STRUCTURE_ROLES

    @property
    def is_donor_contact(self) -> bool:
        return self.role in DONOR_ROLES

    @property
    def is_refurbisher_contact(self) -> bool:
        return self.role in REFURBISHER_ROLES

    @property
    def can_check_devices(self) -> bool:
        """Staff or volunteers whose membership carries the refurbishing skill."""
        return bool(
            self.membership
            and self.role in (Role.STAFF, Role.VOLUNTEER, Role.SITE_MANAGER)
            and self.membership.can_check_devices
        )

    @property
    def is_lead_referent(self) -> bool:
        return bool(
            self.membership and self.membership.role == Role.REFERENT and self.membership.is_lead
        )

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


ANONYMOUS = Scope(user=None)


def resolve_scope(user: User, membership_id: int | None) -> Scope:
    """One query: the user's active memberships with their organisations."""
    from .models import Membership

    memberships = tuple(
        Membership.objects.active()
        .filter(user=user)
        .select_related("reception_point", "partner_structure", "donor", "refurbisher")
        .order_by("created_at", "id")
    )
    current = next((m for m in memberships if m.pk == membership_id), None)
    if current is None and memberships:
        current = memberships[0]
    return Scope(user=user, membership=current, memberships=memberships)


def acting_user_of(request: HttpRequest) -> User:
    """The person making the request, as services take it (`acting_user`). Only for views
    behind a login rule: an anonymous request never reaches a service."""
    user = scope_of(request).user
    if user is None:
        raise PermissionDenied
    return user


def scope_of(request: HttpRequest) -> Scope:
    """The scope ScopeMiddleware attached to the request."""
    return request.scope  # type: ignore[attr-defined]
