from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.enums import CodeStatus, StatementStatus
from solidarnum.connectivity.models import Code, Offer, RelaySale
from solidarnum.connectivity.relays import services
from solidarnum.connectivity.relays.selectors import statement_figures
from tests.connectivity.factories import make_codes, make_offer, secret_of

pytestmark = pytest.mark.django_db


def _as(world, role):
    user = world.users[role]
    return {"acting_user": user, "scope": resolve_scope(user, None)}


def _consign(world, offer, quantity=50, role="manager_a"):
    return services.consign_codes(
        **_as(world, role),
        reception_point=world.site_a,
        relay=world.relay_a,
        offer=offer,
        quantity=quantity,
    )


def _sell(world, offer, quantity=1, first_name="Awa", year=1984):
    return services.record_relay_sale(
        **_as(world, "relay_operator"),
        offer=offer,
        quantity=quantity,
        buyer_first_name=first_name,
        buyer_birth_year=year,
    )


def test_consigning_moves_codes_to_the_relay_and_out_of_the_sites_sale(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 60)
    consignment = _consign(world, offer)
    assert consignment.reference.startswith("DEP-")
    consigned = Code.objects.filter(status=CodeStatus.CONSIGNED, relay=world.relay_a)
    assert consigned.count() == 50
    assert Code.objects.filter(status=CodeStatus.IN_STOCK).count() == 10


def test_consigning_more_than_the_stock_consigns_nothing(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 3)
    with pytest.raises(ServiceError, match="Il ne reste que 3"):
        _consign(world, offer, 5)
    assert not Code.objects.filter(status=CodeStatus.CONSIGNED).exists()


def test_only_the_relays_reception_point_consigns_to_it(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 5)
    with pytest.raises(ServiceError):
        _consign(world, offer, 1, role="staff_b")
    with pytest.raises(ServiceError):
        _consign(world, offer, 1, role="volunteer_a")


def test_the_relay_sells_its_codes_and_gives_the_secrets_once(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 5)
    _consign(world, offer, 5)
    result = _sell(world, offer, 2)
    assert result.sale.total == Decimal("8.00") and result.sale.unit_price == Decimal("4.00")
    sold = Code.objects.filter(status=CodeStatus.SOLD)
    assert sold.count() == 2 and all(code.is_revealed for code in sold)
    assert sorted(c.secret for c in result.codes) == sorted(secret_of(c.serial) for c in sold)


def test_the_relay_cannot_sell_more_than_it_holds_nor_above_the_quota(world):
    offer = make_offer(quota_per_30_days=2)
    make_codes(offer, world.site_a, 5)
    _consign(world, offer, 4)
    Offer.objects.filter(pk=offer.pk).update(quota_per_30_days=None)
    offer.refresh_from_db()
    with pytest.raises(ServiceError, match="Il ne vous reste que 4"):
        _sell(world, offer, 5)
    Offer.objects.filter(pk=offer.pk).update(quota_per_30_days=2)
    offer.refresh_from_db()
    _sell(world, offer, 2, first_name="Élodie")
    with pytest.raises(ServiceError, match="Quota atteint"):
        _sell(world, offer, 1, first_name="elodie")
    _sell(world, offer, 1, first_name="Elodie", year=1990)  # another person


def test_a_buyer_is_named_by_first_name_and_a_plausible_birth_year(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 2)
    _consign(world, offer, 2)
    with pytest.raises(ServiceError, match="prénom"):
        _sell(world, offer, first_name="  ")
    with pytest.raises(ServiceError, match="année de naissance"):
        _sell(world, offer, year=1850)
    assert not RelaySale.objects.exists()


def test_only_the_relay_operator_records_its_sales(world):
    offer = make_offer()
    with pytest.raises(ServiceError):
        services.record_relay_sale(
            **_as(world, "staff_a"),
            offer=offer,
            quantity=1,
            buyer_first_name="Awa",
            buyer_birth_year=1984,
        )


def test_the_monthly_statement_counts_received_sold_returned_left_and_the_amount_due(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 60)
    _consign(world, offer, 50)
    for _ in range(12):
        _sell(world, offer)
    services.return_consigned_codes(
        **_as(world, "staff_a"), relay=world.relay_a, offer=offer, quantity=3
    )
    figures = statement_figures(world.relay_a.pk, timezone.localdate())
    assert (figures.received, figures.sold, figures.returned, figures.left) == (50, 12, 3, 35)
    assert figures.amount_due == Decimal("48.00")
    assert figures.lines[0].offer_name == "Recharge essentielle"


def test_a_finished_month_is_validated_once_then_paid(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 10)
    _consign(world, offer, 10)
    _sell(world, offer, 3)
    month = timezone.localdate().replace(day=1)
    with pytest.raises(ServiceError, match="une fois le mois terminé"):
        services.validate_statement(**_as(world, "manager_a"), relay=world.relay_a, month=month)
    with time_machine.travel(month + timedelta(days=40), tick=False):
        statement = services.validate_statement(
            **_as(world, "manager_a"), relay=world.relay_a, month=month
        )
        assert (statement.sold, statement.left, statement.amount_due) == (3, 7, Decimal("12.00"))
        with pytest.raises(ServiceError, match="déjà validé"):
            services.validate_statement(**_as(world, "manager_a"), relay=world.relay_a, month=month)
        paid = services.record_payment(
            **_as(world, "staff_a"),
            statement=statement,
            amount=Decimal("12.00"),
            paid_on=timezone.localdate(),
            reference="VIR-042",
        )
        assert paid.status == StatementStatus.PAID
        with pytest.raises(ServiceError, match="déjà enregistré"):
            services.record_payment(
                **_as(world, "staff_a"),
                statement=statement,
                amount=Decimal("12.00"),
                paid_on=timezone.localdate(),
            )
