"""Demo till: idempotent, closed and open sessions at two sites, past sales at the old and new
prices, one refund, one void, every receipt chain intact."""

import pytest

from solidarnum.accounts.demo import seed_users
from solidarnum.connectivity.demo import seed_connectivity
from solidarnum.equipment.demo import seed_equipment
from solidarnum.network.demo import seed_network
from solidarnum.referrals.demo import seed_referrals
from solidarnum.sales.demo import seed_sales
from solidarnum.sales.enums import RefundKind, SessionStatus
from solidarnum.sales.models import CashSession, Refund, SaleLine
from solidarnum.sales.receipts.chain import verify_chain

pytestmark = pytest.mark.django_db


def test_the_demo_till_is_complete_and_idempotent():
    network = seed_network()
    seed_users(network)
    seed_referrals(network, count=200)
    seed_equipment(network)
    seed_connectivity(network)
    first = seed_sales(network)
    assert seed_sales(network) == first
    assert first["sales"] >= 200
    for place in (network["paris_19"], network["creteil"]):
        sessions = CashSession.objects.filter(reception_point=place)
        assert sessions.filter(status=SessionStatus.OPEN).count() == 1
        assert sessions.filter(status=SessionStatus.CLOSED).count() >= 10
        count, broken = verify_chain(place.pk)
        assert broken is None and count > 50
    prices = set(
        SaleLine.objects.filter(label="Recharge essentielle").values_list(
            "solidarity_price", flat=True
        )
    )
    assert len(prices) >= 2  # before and after the price change
    kinds = set(Refund.objects.values_list("kind", flat=True))
    assert kinds == {RefundKind.VOID, RefundKind.REFUND}
    assert CashSession.objects.exclude(difference=0).exclude(difference=None).exists()
