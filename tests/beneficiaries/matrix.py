"""Access-matrix rows for the people's files (collected by tests/test_access_matrix.py)."""

from typing import Any

from tests.conftest import ROLES

from . import make_beneficiary

LOGIN = "login"
SITE_A_FILE_TEAM = {"manager_a", "staff_a", "volunteer_a"}
SITE_A_STAFF = {"manager_a", "staff_a"}


def expect(ok: set[str], *, ok_code: int = 200, **overrides: int | str) -> dict[str, int | str]:
    """`ok` roles get ok_code, other roles 403, anonymous is sent to log in."""
    table: dict[str, int | str] = {role: ok_code if role in ok else 403 for role in ROLES}
    table["anonymous"] = LOGIN
    table.update(overrides)
    return table


def file_of_site_a(world: Any) -> dict[str, Any]:
    return {"public_id": make_beneficiary(world).public_id}


ROWS = [
    ("beneficiaries:beneficiary_list", None, "get", expect(SITE_A_FILE_TEAM | {"staff_b"})),
    # staff_b passes the role rule but the file is not of their site: 404, like a missing one.
    (
        "beneficiaries:beneficiary_detail",
        file_of_site_a,
        "get",
        expect(SITE_A_FILE_TEAM, staff_b=404),
    ),
    (
        "beneficiaries:beneficiary_note_add",
        file_of_site_a,
        "get",
        expect(SITE_A_STAFF, staff_b=404),
    ),
    (
        "beneficiaries:beneficiary_diagnostic",
        file_of_site_a,
        "get",
        expect(SITE_A_STAFF, staff_b=404),
    ),
    ("beneficiaries:beneficiary_merge", file_of_site_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    ("beneficiaries:beneficiary_exit", file_of_site_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    # Who opened the file: the site manager only (staff_b is refused by role, before the site).
    ("beneficiaries:beneficiary_readers", file_of_site_a, "get", expect({"manager_a"})),
]
