"""Access matrix rows for the API and the token pages (see tests/test_access_matrix.py).

The matrix clients are logged in with a browser session. The API accepts a référent's
session as well as a token (CSRF is then enforced by DRF on writes; the test client skips it):
so référents get 200 on reads, other roles 403, and anonymous callers 401 (not a redirect to
the login page: an API answers with `WWW-Authenticate: Token`). The matrix POSTs an empty
multipart body: the API only reads JSON, so référents get 415 and nothing is created.
"""

from typing import Any

from solidarnum.accounts.enums import Role
from solidarnum.referrals.models import Referral
from tests.conftest import make_user
from tests.matrix import REFERENTS, expect
from tests.referrals.factories import make_referral

from . import issue_token


def _referents_token(world: Any) -> dict[str, Any]:
    token, _key = issue_token(world, "referent")
    return {"pk": token.pk}


def _own_referral(world: Any) -> dict[str, Any]:
    return {"reference": make_referral(world).reference}


def _other_structure_referral(world: Any) -> dict[str, Any]:
    other = make_user(
        "bea.referent@example.org", Role.REFERENT, partner_structure=world.structure_b
    )
    referral = make_referral(
        world, partner_structure=world.structure_b, reception_point=world.site_b
    )
    Referral.objects.filter(pk=referral.pk).update(referent=other)
    return {"reference": referral.reference}


ROWS = [
    ("api:api_tokens", None, "get", expect(REFERENTS)),
    # Only the owner may revoke; another référent, even the lead, gets 404.
    (
        "api:api_token_revoke",
        _referents_token,
        "post",
        expect({"referent"}, ok_code=302, lead_referent=404),
    ),
    ("api:api_referral_list", None, "get", expect(REFERENTS, anonymous=401)),
    ("api:api_referral_list", None, "post", expect(REFERENTS, ok_code=415, anonymous=401)),
    ("api:api_referral_detail", _own_referral, "get", expect(REFERENTS, anonymous=401)),
    (
        "api:api_referral_detail",
        _other_structure_referral,
        "get",
        expect(REFERENTS, ok_code=404, anonymous=401),
    ),
    ("api:api_schema", None, "get", expect("all")),
    ("api:api_docs", None, "get", expect("all")),
]
