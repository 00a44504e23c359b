"""Access-matrix rows for the solidarity price grid."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from solidarnum.equipment.models import Price
from tests.matrix import ADMIN, SITE_TEAMS, expect


def future_price(world: Any) -> dict[str, Any]:
    price = Price.objects.create(
        kind="laptop",
        grade="A",
        amount=Decimal("95"),
        valid_from=timezone.localdate() + timedelta(days=10),
    )
    return {"pk": price.pk}


ROWS = [
    ("equipment:price_list", None, "get", expect(ADMIN | SITE_TEAMS)),
    ("equipment:price_create", None, "get", expect(ADMIN)),
    ("equipment:price_delete", future_price, "post", expect(ADMIN, ok_code=302)),
]
