"""Role predicates as a role × action matrix."""

import pytest

from solidarnum.accounts import permissions
from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.accounts.scope import resolve_scope
from tests.conftest import ROLES

LOGGED = [r for r in ROLES if r != "anonymous"]

EXPECTED = {
    # role: (manage network, edit site A, can invite, view audit, invitable roles)
    "admin": (True, True, True, True, set(Role)),
    "manager_a": (False, True, True, False, {Role.STAFF, Role.VOLUNTEER}),
    "staff_a": (False, False, False, False, set()),
    "volunteer_a": (False, False, False, False, set()),
    "staff_b": (False, False, False, False, set()),
    "lead_referent": (False, False, True, False, {Role.REFERENT}),
    "referent": (False, False, False, False, set()),
    "relay_operator": (False, False, False, False, set()),
    "donor_contact": (False, False, False, False, set()),
    "refurbisher_contact": (False, False, False, False, set()),
}


@pytest.mark.parametrize("role", LOGGED)
def test_predicates(world, role):
    scope = resolve_scope(world.users[role], None)
    manage, edit_a, invite, audit, invitable = EXPECTED[role]
    assert permissions.can_manage_network(scope) is manage
    assert permissions.can_edit_reception_point(scope, world.site_a.pk) is edit_a
    assert permissions.can_invite(scope) is invite
    assert permissions.can_view_audit(scope) is audit
    assert set(permissions.invitable_roles(scope)) == invitable


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("admin", "staff_b", True),
        ("manager_a", "staff_a", True),
        ("manager_a", "volunteer_a", True),
        ("manager_a", "staff_b", False),
        ("manager_a", "manager_a", False),
        ("lead_referent", "referent", True),
        ("lead_referent", "staff_a", False),
        ("referent", "lead_referent", False),
        ("staff_a", "volunteer_a", False),
    ],
)
def test_can_deactivate_membership(world, actor, target, allowed):
    scope = resolve_scope(world.users[actor], None)
    membership = Membership.objects.get(user=world.users[target])
    assert permissions.can_deactivate_membership(scope, membership) is allowed


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("admin", "staff_b", True),
        ("admin", "manager_a", True),
        ("admin", "referent", True),
        ("manager_a", "staff_a", True),
        ("manager_a", "volunteer_a", True),
        ("manager_a", "staff_b", False),
        ("manager_a", "manager_a", False),
        ("manager_a", "referent", False),
        ("lead_referent", "referent", False),
        ("staff_a", "volunteer_a", False),
    ],
)
def test_can_unlock_account(world, actor, target, allowed):
    scope = resolve_scope(world.users[actor], None)
    membership = Membership.objects.get(user=world.users[target])
    assert permissions.can_unlock_account(scope, membership) is allowed
