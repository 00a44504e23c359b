"""What the access matrix is written with (tests/test_access_matrix.py and the
tests/<app>/**/matrix.py files that add its rows): the expected answers and the role sets, once.

A role set names people of the test world (tests/conftest.py) by what they are, never by what a
page allows: compose them (`ADMIN | SITE_A_STAFF`) in the row that needs it.
"""

from __future__ import annotations

from collections.abc import Iterable

from tests.conftest import ROLES

LOGIN = "login"  # a redirect to the login page

ANONYMOUS = {"anonymous"}
EVERYONE_LOGGED = set(ROLES) - ANONYMOUS
ADMIN = {"admin"}
# Site A's people (Paris 19e): its staff (manager and staff member) and its volunteer.
SITE_A_STAFF = {"manager_a", "staff_a"}
SITE_A_TEAM = SITE_A_STAFF | {"volunteer_a"}
# Site B's only member (Créteil): passes the rules of site pages, finds none of site A's objects.
SITE_B_STAFF = {"staff_b"}
SITE_TEAMS = SITE_A_TEAM | SITE_B_STAFF
# The partner structure of site A: a lead référent and a référent; the relay's operator.
REFERENTS = {"lead_referent", "referent"}
RELAY = {"relay_operator"}
DONOR = {"donor_contact"}
WORKSHOP = {"refurbisher_contact"}


def expect(
    ok: Iterable[str] | str, *, ok_code: int = 200, others: int = 403, **overrides: int | str
) -> dict[str, int | str]:
    """Expected answers by role: `ok` roles get `ok_code`, the others `others`, anonymous is
    sent to log in (unless `ok` is "all": a public page). `overrides` set single roles."""
    roles_ok = set(ROLES) if ok == "all" else set(ok)
    table: dict[str, int | str] = {role: ok_code if role in roles_ok else others for role in ROLES}
    if ok != "all":
        table["anonymous"] = LOGIN
    table.update(overrides)
    return table
