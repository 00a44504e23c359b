"""Access matrix rows for the référent's referral pages (collected by tests/test_access_matrix.py).

`expect` is re-implemented here: importing it from tests.test_access_matrix would be circular.
"""

from tests.matrix import REFERENTS, expect
from tests.referrals.factories import make_referral


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
