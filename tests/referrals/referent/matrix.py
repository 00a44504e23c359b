"""Access matrix rows for the référent's referral pages (collected by tests/test_access_matrix.py).

`expect` is re-implemented here: importing it from tests.test_access_matrix would be circular.
"""

from tests.conftest import ROLES
from tests.referrals.factories import make_referral

LOGIN = "login"
REFERENTS = {"lead_referent", "referent"}


def expect(ok: set[str] | str, *, ok_code: int = 200, others: int = 403, **overrides: int | str):
    roles_ok = set(ROLES) if ok == "all" else set(ok)
    table: dict[str, int | str] = {role: ok_code if role in roles_ok else others for role in ROLES}
    if ok != "all":
        table["anonymous"] = LOGIN
    table.update(overrides)
    return table


def a_referral(world):
    return {"reference": make_referral(world).reference}


ROWS = [
    ("referrals:referral_create", None, "get", expect(REFERENTS)),
    ("referrals:referent_referral_list", None, "get", expect(REFERENTS)),
    ("referrals:referent_referral_detail", a_referral, "get", expect(REFERENTS)),
    ("referrals:referral_voucher_pdf", a_referral, "get", expect(REFERENTS)),
    ("referrals:referent_settings", None, "get", expect(REFERENTS)),
    ("referrals:privacy_notice", None, "get", expect("all")),
]
