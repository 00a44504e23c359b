"""Access matrix rows for the reception point's referral inbox (see tests/test_access_matrix.py)."""

from tests.conftest import ROLES
from tests.referrals.factories import make_referral

LOGIN = "login"
SITE_A_INBOX = {"manager_a", "staff_a"}


def expect(ok: set[str], *, ok_code: int = 200, **overrides: int | str) -> dict[str, int | str]:
    table: dict[str, int | str] = {role: ok_code if role in ok else 403 for role in ROLES}
    table["anonymous"] = LOGIN
    table.update(overrides)
    return table


def referral_a(world) -> dict[str, str]:
    """A referral sent to site A: staff of site B may use the inbox but must not find it."""
    return {"reference": make_referral(world).reference}


ROWS = [
    ("referrals:referral_inbox", None, "get", expect(SITE_A_INBOX | {"staff_b"})),
    ("referrals:referral_detail", referral_a, "get", expect(SITE_A_INBOX, staff_b=404)),
    (
        "referrals:referral_start_review",
        referral_a,
        "post",
        expect(SITE_A_INBOX, ok_code=302, staff_b=404),
    ),
    ("referrals:referral_validate", referral_a, "get", expect(SITE_A_INBOX, staff_b=404)),
    ("referrals:referral_refuse", referral_a, "get", expect(SITE_A_INBOX, staff_b=404)),
]
