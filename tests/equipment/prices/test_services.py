"""The solidarity price grid."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from solidarnum.common.errors import ServiceError
from solidarnum.equipment.models import (
    Price,
)
from solidarnum.equipment.prices.services import set_price
from tests.referrals.factories import scope_for

# --- Prices --------------------------------------------------------------------------------------


def test_set_price_refuses_past_dates(world):
    admin = scope_for(world, "admin")
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ServiceError, match="jamais dans le passé"):
        set_price(
            acting_user=admin.user,
            scope=admin,
            kind="laptop",
            grade="A",
            amount=Decimal("100"),
            valid_from=yesterday,
        )
    assert not Price.objects.exists()
    today = timezone.localdate()
    set_price(
        acting_user=admin.user,
        scope=admin,
        kind="laptop",
        grade="A",
        amount=Decimal("100"),
        valid_from=today,
    )
    set_price(
        acting_user=admin.user,
        scope=admin,
        kind="laptop",
        grade="A",
        amount=Decimal("95"),
        valid_from=today,
    )
    assert list(Price.objects.values_list("amount", flat=True)) == [Decimal("95")]


def test_only_the_national_team_sets_prices(world):
    with pytest.raises(ServiceError, match="Seule l'équipe nationale"):
        set_price(
            acting_user=world.users["manager_a"],
            scope=scope_for(world, "manager_a"),
            kind="laptop",
            grade="A",
            amount=Decimal("100"),
            valid_from=timezone.localdate(),
        )
