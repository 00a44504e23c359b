"""Access-matrix rows for the people's files (collected by tests/test_access_matrix.py)."""

from typing import Any

from tests.matrix import SITE_A_STAFF, SITE_A_TEAM, SITE_B_STAFF, expect

from . import make_beneficiary


def file_of_site_a(world: Any) -> dict[str, Any]:
    return {"public_id": make_beneficiary(world).public_id}


ROWS = [
    ("beneficiaries:beneficiary_list", None, "get", expect(SITE_A_TEAM | SITE_B_STAFF)),
    # staff_b passes the role rule but the file is not of their site: 404, like a missing one;
    # volunteer_a does not accompany this person (ADR 0036): 404 too.
    (
        "beneficiaries:beneficiary_detail",
        file_of_site_a,
        "get",
        expect(SITE_A_STAFF, staff_b=404, volunteer_a=404),
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
