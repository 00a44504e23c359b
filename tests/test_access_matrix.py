"""The authorization matrix: every URL requested as every role, compared with the expected
answer. A new URL without a row here fails `test_every_named_url_is_in_the_matrix`."""

import pytest
from django.urls import reverse

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Invitation, Membership

from .conftest import ROLES
from .matrix import (
    ADMIN,
    EVERYONE_LOGGED,
    LOGIN,
    REFERENTS,
    SITE_A_STAFF,
    SITE_A_TEAM,
    SITE_B_STAFF,
    WORKSHOP,
    expect,
)
from .test_consistency import EXEMPT_ROUTE_PREFIXES, iter_named_patterns

# (url name, how to build kwargs from the world, method, expected by role)
MATRIX = [
    ("accounts:home", None, "get", expect("all")),
    ("common:healthz", None, "get", expect("all")),
    ("network:public_directory", None, "get", expect("all")),
    ("network:opendata_places_csv", None, "get", expect("all")),
    ("accounts:accept_invitation", "invitation_token", "get", expect("all")),
    ("accounts:account_security", None, "get", expect(EVERYONE_LOGGED)),
    ("accounts:my_organisation", None, "get", expect(EVERYONE_LOGGED - {"admin"})),
    ("accounts:team", None, "get", expect({"manager_a", "lead_referent"})),
    ("accounts:user_list", None, "get", expect(ADMIN)),
    ("accounts:invite", None, "get", expect({"admin", "manager_a", "lead_referent"})),
    ("privacy:audit_list", None, "get", expect(ADMIN)),
    ("network:reception_point_list", None, "get", expect(ADMIN)),
    ("network:reception_point_create", None, "get", expect(ADMIN)),
    (
        "network:reception_point_detail",
        "site_a",
        "get",
        expect(ADMIN | SITE_A_TEAM, staff_b=404),
    ),
    (
        "network:reception_point_update",
        "site_a",
        "get",
        expect({"admin", "manager_a"}, staff_b=404),
    ),
    ("network:partner_list", None, "get", expect(ADMIN | SITE_A_STAFF | SITE_B_STAFF)),
    (
        "network:reception_point_suggestions",
        None,
        "get",
        expect(ADMIN | SITE_A_STAFF | SITE_B_STAFF | REFERENTS | WORKSHOP),
    ),
    (
        "network:partner_suggestions",
        None,
        "get",
        expect(ADMIN | SITE_A_STAFF | SITE_B_STAFF),
    ),
    ("network:donor_suggestions", None, "get", expect(ADMIN)),
    ("network:partner_create", None, "get", expect(ADMIN)),
    (
        "network:partner_detail",
        "structure_a",
        "get",
        expect(
            ADMIN | SITE_A_STAFF | {"lead_referent", "referent"}, staff_b=404, relay_operator=404
        ),
    ),
    ("network:partner_update", "structure_a", "get", expect(ADMIN)),
    ("network:donor_list", None, "get", expect(ADMIN)),
    ("network:donor_create", None, "get", expect(ADMIN)),
    ("network:donor_detail", "donor", "get", expect(ADMIN)),
    ("network:donor_update", "donor", "get", expect(ADMIN)),
    ("network:refurbisher_list", None, "get", expect(ADMIN)),
    ("network:refurbisher_create", None, "get", expect(ADMIN)),
    ("network:refurbisher_detail", "refurbisher", "get", expect(ADMIN)),
    ("network:refurbisher_update", "refurbisher", "get", expect(ADMIN)),
    ("accounts:switch_membership", None, "post", expect(EVERYONE_LOGGED, ok_code=302)),
    (
        "accounts:deactivate_membership",
        "staff_a_membership",
        "post",
        expect({"admin", "manager_a"}, ok_code=302, lead_referent=404),
    ),
    (
        "accounts:set_device_skill",
        "staff_a_membership",
        "post",
        expect({"admin", "manager_a"}, ok_code=302),
    ),
    (
        "accounts:unlock_account",
        "staff_a_membership",
        "post",
        # Not locked: the manager is told so, and sent back to the team page.
        expect({"admin", "manager_a"}, ok_code=302),
    ),
    (
        "accounts:revoke_invitation",
        "invitation_a",
        "post",
        expect({"admin", "manager_a"}, ok_code=302, lead_referent=404),
    ),
]


def _app_rows():
    """Each app (or sub-area) adds its rows in tests/<app>/[<sub-area>/]matrix.py (ROWS, same
    shape as MATRIX)."""
    import importlib
    from pathlib import Path

    here = Path(__file__).parent
    rows = []
    for path in sorted(here.glob("*/**/matrix.py")):  # not tests/matrix.py (expect, role sets)
        module = ".".join(("tests", *path.relative_to(here).with_suffix("").parts))
        rows.extend(importlib.import_module(module).ROWS)
    return rows


MATRIX += _app_rows()


def build_kwargs(world, key):
    """`key` names an object of the world, or is a callable building the URL kwargs."""
    if callable(key):
        return key(world)
    if key is None:
        return {}
    if key == "invitation_token":
        return {"token": _invitation(world).token}
    if key == "invitation_a":
        return {"pk": _invitation(world).pk}
    if key == "staff_a_membership":
        return {"pk": Membership.objects.get(user=world.users["staff_a"]).pk}
    return {"pk": getattr(world, key).pk}


def _invitation(world):
    invitation, _ = Invitation.objects.get_or_create(
        email="new.volunteer@example.org",
        role=Role.VOLUNTEER,
        reception_point=world.site_a,
    )
    return invitation


def case_id(name: str, key, method: str, role: str) -> str:
    """url name, method, what the row builds (when it builds something), role."""
    built = getattr(key, "__name__", key)
    return "-".join(part for part in (name, method, built, role) if part)


CASES = [
    pytest.param(name, key, method, role, expected[role], id=case_id(name, key, method, role))
    for name, key, method, expected in MATRIX
    for role in ROLES
]


# The world is built once for the ~1,100 cases; each case runs in a savepoint rolled back after
# it (tests/conftest.py, module_world).
@pytest.mark.parametrize(("name", "key", "method", "role", "expected"), CASES)
def test_access(module_world, module_clients, name, key, method, role, expected):
    url = reverse(name, kwargs=build_kwargs(module_world, key))
    response = getattr(module_clients[role], method)(url)
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, (url, role, response.status_code)


def test_every_named_url_is_in_the_matrix():
    in_matrix = {name for name, *_ in MATRIX}
    ours = {
        name
        for route, _pattern, name in iter_named_patterns()
        if not route.startswith(tuple(EXEMPT_ROUTE_PREFIXES))
    }
    assert ours - in_matrix == set(), "Add these URLs to the access matrix"


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_each_test_runs_on_the_world_as_built(module_world, module_clients, db):
    """What a case writes is rolled back before the next one: write, then check in the next."""
    from solidarnum.network.models import ReceptionPoint

    assert ReceptionPoint.objects.filter(name="Point écrit par un test").count() == 0
    ReceptionPoint.objects.filter(pk=module_world.site_a.pk).update(name="Point écrit par un test")


def test_each_test_runs_on_the_world_as_built_again(module_world, module_clients, db):
    from solidarnum.network.models import ReceptionPoint

    assert ReceptionPoint.objects.get(pk=module_world.site_a.pk).name == "Paris 19e"
    assert module_clients["staff_a"].get(reverse("accounts:home")).status_code == 200


def test_the_matrix_files_share_one_expect_and_one_meaning_per_role_set():
    """A role set has one name and one meaning everywhere: the matrix files import them."""
    import importlib
    from pathlib import Path

    from tests import matrix as shared

    here = Path(__file__).parent
    for path in sorted(here.glob("*/**/matrix.py")):
        module = importlib.import_module(
            ".".join(("tests", *path.relative_to(here).with_suffix("").parts))
        )
        for name in ("expect", "LOGIN", *(n for n in vars(shared) if n.isupper())):
            if hasattr(module, name):
                assert getattr(module, name) is getattr(shared, name), f"{path}: {name}"
