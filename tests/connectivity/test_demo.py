"""Demo connectivity: idempotent, every state, the relay's stock, sales and paid statement."""

import pytest
from django.utils import timezone

from solidarnum.accounts.demo import seed_users
from solidarnum.connectivity import crypto
from solidarnum.connectivity.demo import seed_connectivity
from solidarnum.connectivity.enums import CodeStatus, StatementStatus
from solidarnum.connectivity.models import (
    Code,
    CodeEvent,
    MediationCase,
    OfferPrice,
    OutreachPack,
    PackHandover,
    RelayStatement,
)
from solidarnum.connectivity.relays.selectors import statement_figures
from solidarnum.equipment.demo import seed_equipment
from solidarnum.equipment.enums import Status as DeviceStatus
from solidarnum.equipment.models import Device
from solidarnum.network.demo import seed_network
from solidarnum.referrals.demo import seed_referrals

pytestmark = pytest.mark.django_db


def test_the_demo_is_complete_and_idempotent():
    network = seed_network()
    seed_users(network)
    seed_referrals(network, count=60)
    seed_equipment(network)
    first = seed_connectivity(network)
    again = seed_connectivity(network)
    assert first == again
    assert first["codes"] >= 2000
    for status in (
        CodeStatus.IN_STOCK,
        CodeStatus.SOLD,
        CodeStatus.CONSIGNED,
        CodeStatus.IN_TRANSIT,
        CodeStatus.EXPIRED,
        CodeStatus.DEFECTIVE,
        CodeStatus.GIVEN,
    ):
        assert first[status] > 0, status
    # Past price changes: the basic recharge from 6 € to 4 €, the data card from 4 € to 2 €.
    recharge = OfferPrice.objects.filter(offer__name="Recharge essentielle").order_by("valid_from")
    assert [str(p.solidarity_price) for p in recharge] == ["6.00", "4.00"]
    # Every code's history starts at its delivery and each code is sold at most once.
    assert CodeEvent.objects.filter(from_status="").count() == Code.objects.count()
    # Secrets are readable with the configured key.
    code = Code.objects.exclude(secret_token="").first()
    assert crypto.decrypt(code.secret_token).isdigit()
    # The relay: consigned stock, a paid statement last month, its figures consistent.
    relay = network["relay"]
    assert Code.objects.filter(relay=relay, status=CodeStatus.CONSIGNED).count() == 42
    statement = RelayStatement.objects.get(relay=relay)
    assert statement.status == StatementStatus.PAID
    figures = statement_figures(relay.pk, statement.month)
    assert (figures.received, figures.sold, figures.left) == (80, 30, 50)
    assert figures.amount_due == statement.amount_due
    now = statement_figures(relay.pk, timezone.localdate())
    assert (now.sold, now.left) == (8, 42)
    assert MediationCase.objects.count() == 2
    # Packs maraude handed to the night shelter of Paris 19e: each part given, once.
    handover = PackHandover.objects.get()
    assert handover.structure.name == "CHRS Les Lilas (fictif)"
    assert OutreachPack.objects.filter(handover=handover).count() == handover.quantity == 3
    assert (
        Device.objects.filter(status=DeviceStatus.GIVEN, outreach_pack__isnull=False).count() == 3
    )
    assert Code.objects.filter(status=CodeStatus.GIVEN).count() == 6
