"""Access-matrix rows for the solidarity price grid."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from solidarnum.equipment.models import Price
from tests.conftest import ROLES

LOGIN = "login"
SITE_TEAM = {"manager_a", "staff_a", "volunteer_a", "staff_b"}
DONATION_READERS = {"admin", "donor_contact", "refurbisher_contact"}


def expect(ok: set[str], *, ok_code: int = 200, **overrides: int | str) -> dict[str, int | str]:
    """`ok` roles get ok_code, other roles 403, anonymous is sent to log in."""
    table: dict[str, int | str] = {role: ok_code if role in ok else 403 for role in ROLES}
    table["anonymous"] = LOGIN
    table.update(overrides)
    return table


def future_price(world: Any) -> dict[str, Any]:
    price = Price.objects.create(
        kind="laptop",
        grade="A",
        amount=Decimal("95"),
        valid_from=timezone.localdate() + timedelta(days=10),
    )
    return {"pk": price.pk}


ROWS = [
    ("equipment:price_list", None, "get", expect({"admin"} | SITE_TEAM)),
    ("equipment:price_create", None, "get", expect({"admin"})),
    ("equipment:price_delete", future_price, "post", expect({"admin"}, ok_code=302)),
]
