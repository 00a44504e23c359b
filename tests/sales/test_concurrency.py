"""Counters paying at the same moment (PostgreSQL row locks, SKIP LOCKED, threads).

The server allows 100 connections, shared with other test runs: at most 50 threads here.
"""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code
from solidarnum.equipment.enums import Status
from solidarnum.sales.enums import PaymentMethod
from solidarnum.sales.models import Receipt, Refund, Sale, SaleLine
from solidarnum.sales.receipts.chain import verify_chain
from solidarnum.sales.refunds import services as refunds
from solidarnum.sales.sessions import services as sessions
from solidarnum.sales.sessions.selectors import totals_of
from solidarnum.sales.till import services as till
from solidarnum.sales.till.services import Payment
from tests.connectivity.factories import make_codes, make_offer
from tests.equipment.factories import make_device, make_prices
from tests.race import race
from tests.sales.factories import make_person, open_till, scope_of_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _baskets(world, session, people, *, devices=(), offers=()):
    staff = scope_of_user(world, "staff_a")
    keys = []
    for person in people:
        basket = till.start_basket(
            acting_user=staff.user, scope=staff, session=session, beneficiary=person
        )
        for device in devices:
            till.add_device(acting_user=staff.user, scope=staff, basket=basket, device=device)
        for offer in offers:
            till.add_offer(acting_user=staff.user, scope=staff, basket=basket, offer=offer)
        keys.append(basket.key)
    return staff, keys


def _pay(staff, key, payment=None):
    def run():
        try:
            return "sold", till.sell_basket(
                acting_user=staff.user,
                scope=staff,
                basket_key=key,
                payment=payment or Payment(PaymentMethod.CARD),
            ).pk
        except ServiceError as error:
            return "refused", str(error)

    return run


def _outcomes(results):
    assert all(kind == "ok" for kind, _ in results), results
    return [value for _, value in results]


def test_50_sales_of_the_last_device_make_exactly_one(world):
    make_prices()
    device = make_device(world)
    session = open_till(world)
    people = [make_person(world) for _ in range(50)]
    staff, keys = _baskets(world, session, people, devices=(device,))

    outcomes = _outcomes(race(*[_pay(staff, key) for key in keys]))

    sold = [v for k, v in outcomes if k == "sold"]
    refused = [v for k, v in outcomes if k == "refused"]
    assert len(sold) == 1 and len(refused) == 49
    assert all("n'est plus disponible" in message for message in refused), set(refused)
    device.refresh_from_db()
    assert device.status == Status.SOLD
    assert Sale.objects.count() == 1 and SaleLine.objects.count() == 1
    assert Receipt.objects.count() == 1


def test_20_baskets_over_10_codes_sell_10_and_no_code_twice(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 10)
    session = open_till(world)
    people = [make_person(world) for _ in range(20)]
    staff, keys = _baskets(world, session, people, offers=(offer,))

    outcomes = _outcomes(race(*[_pay(staff, key) for key in keys]))

    assert len([v for k, v in outcomes if k == "sold"]) == 10
    refused = [v for k, v in outcomes if k == "refused"]
    assert len(refused) == 10
    assert all("Plus aucun « Recharge essentielle » disponible" in m for m in refused)
    codes = list(SaleLine.objects.values_list("code_id", flat=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert Code.objects.filter(status=CodeStatus.SOLD).count() == 10
    numbers = sorted(Receipt.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, 11))  # no gap, although 10 sales rolled back
    assert verify_chain(world.site_a.pk) == (10, None)


def test_a_quota_of_2_with_5_simultaneous_baskets_for_one_person(world):
    offer = make_offer(quota_per_30_days=2)
    make_codes(offer, world.site_a, 10)
    session = open_till(world)
    person = make_person(world)
    staff, keys = _baskets(world, session, [person] * 5, offers=(offer,))

    outcomes = _outcomes(race(*[_pay(staff, key) for key in keys]))

    assert len([v for k, v in outcomes if k == "sold"]) == 2
    refused = [v for k, v in outcomes if k == "refused"]
    assert len(refused) == 3 and all("Quota atteint" in m for m in refused)
    assert SaleLine.objects.filter(beneficiary=person).count() == 2


def test_a_double_click_pays_once(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 5)
    session = open_till(world)
    staff, (key,) = _baskets(world, session, [make_person(world)], offers=(offer,))

    outcomes = _outcomes(race(*[_pay(staff, key) for _ in range(8)]))

    assert {v for _, v in outcomes} == {Sale.objects.get().pk}
    assert Code.objects.filter(status=CodeStatus.SOLD).count() == 1


def test_random_baskets_reconcile_the_session_to_the_cent(world):
    """Many random baskets in cash, card and free, some voided and refunded, in threads: the
    session's totals equal the sum of its lines, to the cent, and the chain holds."""
    rng = random.Random(13)
    make_prices()
    offers = [
        make_offer("Recharge essentielle", solidarity="4.00", market="6.00"),
        make_offer("Carte data 8 Go", kind="data", solidarity="2.00", market="4.00"),
        make_offer("Carte SIM", kind="sim", solidarity="1.50", market="10.00"),
    ]
    for offer in offers:
        make_codes(offer, world.site_a, 40, with_secret=offer.kind != "sim")
    session = open_till(world)
    staff = scope_of_user(world, "staff_a")
    plans = []
    for _ in range(40):
        people = [make_person(world)]
        picked = tuple(rng.choice(offers) for _ in range(rng.randint(1, 3)))
        devices = (make_device(world, grade=rng.choice("ABC")),) if rng.random() < 0.3 else ()
        _, (key,) = _baskets(world, session, people, devices=devices, offers=picked)
        method = rng.choice([PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.FREE])
        payment = Payment(
            method,
            tendered=Decimal("500.00") if method == PaymentMethod.CASH else None,
            free_reason="pack maraude" if method == PaymentMethod.FREE else "",
        )
        plans.append(_pay(staff, key, payment))

    results = []
    for start in range(0, len(plans), 10):
        results += _outcomes(race(*plans[start : start + 10]))
    sold_ids = [v for k, v in results if k == "sold"]
    assert len(sold_ids) == 40, results
    for sale in Sale.objects.filter(pk__in=sold_ids[:4]):
        refunds.void_sale(acting_user=staff.user, scope=staff, sale=sale, reason="erreur")
    for sale in Sale.objects.filter(pk__in=sold_ids[4:8]):
        line = sale.lines.order_by("-paid").first()
        refunds.refund_lines(
            acting_user=staff.user,
            scope=staff,
            sale=sale,
            session=session,
            line_ids=[line.pk],
            reason="retour",
        )

    totals = totals_of(session)
    lines = SaleLine.objects.filter(sale__session=session)
    by_method = {
        method: lines.filter(sale__payment_method=method).aggregate(s=Sum("paid"))["s"]
        or Decimal("0")
        for method in PaymentMethod
    }
    refunded = {
        method: Refund.objects.filter(session=session, method=method).aggregate(s=Sum("amount"))[
            "s"
        ]
        or Decimal("0")
        for method in PaymentMethod
    }
    assert totals.cash_sales == by_method[PaymentMethod.CASH]
    assert totals.card_sales == by_method[PaymentMethod.CARD]
    assert by_method[PaymentMethod.FREE] == Decimal("0")
    assert totals.expected_cash == Decimal("50.00") + by_method["cash"] - refunded["cash"]
    assert totals.expected_card == by_method["card"] - refunded["card"]
    assert sum(s.total for s in Sale.objects.filter(session=session)) == sum(
        line.paid for line in lines
    )
    closed = sessions.close_session(
        acting_user=staff.user,
        scope=staff,
        session=session,
        counted_cash=totals.expected_cash,
        counted_card=totals.expected_card,
    )
    assert closed.difference == Decimal("0.00")
    assert verify_chain(world.site_a.pk) == (48, None)
