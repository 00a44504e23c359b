"""Access matrix rows for the delivery log, the template preview and the webhooks."""

from tests.matrix import ADMIN, SITE_A_STAFF, SITE_B_STAFF, expect

from .factories import make_message


def message_of_site_a(world) -> dict[str, int]:
    """A message about site A: site B's staff may read the log but must not find it."""
    return {"pk": make_message(reception_point=world.site_a).pk}


def file_of_site_a(world) -> dict[str, str]:
    from tests.beneficiaries import make_beneficiary

    return {"public_id": str(make_beneficiary(world).public_id)}


def voucher_template(world) -> dict[str, str]:
    return {"key": "referrals.voucher"}


def provider(world) -> dict[str, str]:
    return {"provider": "memory"}


def email_provider(world) -> dict[str, str]:
    return {"provider": "brevo"}


ROWS = [
    ("notifications:message_list", None, "get", expect(ADMIN | SITE_A_STAFF | SITE_B_STAFF)),
    (
        "notifications:message_detail",
        message_of_site_a,
        "get",
        expect(ADMIN | SITE_A_STAFF, staff_b=404),
    ),
    ("notifications:template_preview", None, "get", expect(ADMIN)),
    ("notifications:template_detail", voucher_template, "get", expect(ADMIN)),
    ("notifications:phone_correct", file_of_site_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    # Public addresses, but refused to whoever does not give the secret (logged in or not).
    ("notifications:webhook_report", provider, "post", expect("all", ok_code=403)),
    ("notifications:webhook_inbound", provider, "post", expect("all", ok_code=403)),
    # Anymail's tracking webhook: HTTP basic auth, refused without it.
    ("notifications:webhook_email", email_provider, "post", expect("all", ok_code=403)),
]
