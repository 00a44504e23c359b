"""Access matrix rows for the reception point's referral inbox (see tests/test_access_matrix.py)."""

from tests.matrix import SITE_A_STAFF, SITE_B_STAFF, expect
from tests.referrals.factories import make_referral


def referral_a(world) -> dict[str, str]:
    """A referral sent to site A: staff of site B may use the inbox but must not find it."""
    return {"reference": make_referral(world).reference}


ROWS = [
    ("referrals:referral_inbox", None, "get", expect(SITE_A_STAFF | SITE_B_STAFF)),
    (
        "referrals:inbox_structure_suggestions",
        None,
        "get",
        expect(SITE_A_STAFF | SITE_B_STAFF),
    ),
    ("referrals:referral_detail", referral_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    (
        "referrals:referral_start_review",
        referral_a,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
    ("referrals:referral_validate", referral_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    ("referrals:referral_refuse", referral_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    (
        "referrals:referral_send_voucher",
        referral_a,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
]
