"""Counters taking codes at the same moment (PostgreSQL row locks, SKIP LOCKED).

The server allows 100 connections, shared with other test runs: the 200 calls run in 25 threads
released together, each making 8 calls in a row on its own connection.
"""

import pytest
from django.db import connection

from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.codes import services
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, CodeEvent
from solidarnum.connectivity.relays import services as relay_services
from tests.connectivity.factories import make_codes, make_offer
from tests.race import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 25
CALLS_PER_THREAD = 8


def _calls(action, n):
    def run():
        outcomes = []
        for _ in range(n):
            try:
                outcomes.append(("ok", action()))
            except ServiceError as error:
                outcomes.append(("refused", str(error)))
        return outcomes

    return run


def test_200_counters_over_100_codes_sell_each_code_once(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 100)
    staff = resolve_scope(world.users["staff_a"], None)

    def take():
        return services.take_next_code(
            acting_user=staff.user, scope=staff, offer=offer, reception_point=world.site_a
        )

    results = race(*[_calls(take, CALLS_PER_THREAD) for _ in range(THREADS)])

    assert all(kind == "ok" for kind, _ in results), results
    outcomes = [outcome for _, batch in results for outcome in batch]
    assert len(outcomes) == 200
    sold = [value.code_id for kind, value in outcomes if kind == "ok"]
    refused = [value for kind, value in outcomes if kind == "refused"]
    assert len(sold) == 100
    assert len(set(sold)) == 100
    assert len(refused) == 100
    assert set(refused) == {"Plus aucun « Recharge essentielle » disponible à Paris 19e."}
    assert Code.objects.filter(status=CodeStatus.SOLD).count() == 100
    assert CodeEvent.objects.filter(to_status=CodeStatus.SOLD).count() == 100


def test_a_code_being_consigned_is_not_sold_by_the_reception_point(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 60)
    staff = resolve_scope(world.users["staff_a"], None)
    manager = resolve_scope(world.users["manager_a"], None)

    def take():
        return services.take_next_code(
            acting_user=staff.user, scope=staff, offer=offer, reception_point=world.site_a
        )

    def consign():
        consignment = relay_services.consign_codes(
            acting_user=manager.user,
            scope=manager,
            reception_point=world.site_a,
            relay=world.relay_a,
            offer=offer,
            quantity=50,
        )
        return [consignment]

    results = race(consign, *[_calls(take, 4) for _ in range(10)])

    consigned = set(Code.objects.filter(status=CodeStatus.CONSIGNED).values_list("pk", flat=True))
    sold = set(Code.objects.filter(status=CodeStatus.SOLD).values_list("pk", flat=True))
    assert not consigned & sold
    assert CodeEvent.objects.filter(code_id__in=consigned, to_status=CodeStatus.SOLD).count() == 0
    assert (
        len(consigned) + len(sold) + Code.objects.filter(status=CodeStatus.IN_STOCK).count() == 60
    )
    kind, value = results[0]
    if kind == "ok":  # the consignment took its 50 codes: the counters sold the other 10
        assert len(consigned) == 50 and len(sold) == 10
    else:  # the counters were first: fewer than 50 were left, nothing was consigned
        assert isinstance(value, ServiceError) and not consigned


def test_two_staff_handing_packs_at_once_never_take_the_same_phone_or_code(world):
    from solidarnum.connectivity.models import OutreachPack, PackHandover
    from solidarnum.connectivity.packs import services as pack_services
    from solidarnum.equipment.enums import Status
    from solidarnum.equipment.models import Device
    from tests.connectivity.factories import make_pack_stock

    sim, top_up = make_pack_stock(world, 5)

    def hand(role):
        scope = resolve_scope(world.users[role], None)

        def run():
            try:
                return (
                    "ok",
                    pack_services.hand_packs(
                        acting_user=scope.user,
                        scope=scope,
                        reception_point=world.site_a,
                        structure=world.structure_a,
                        quantity=3,
                        sim_offer=sim,
                        top_up_offer=top_up,
                    ).pk,
                )
            except ServiceError as error:
                return ("refused", str(error))

        return run

    results = race(hand("staff_a"), hand("manager_a"))

    outcomes = [value for kind, value in results if kind == "ok"]
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert "aucun pack n'a été remis" in next(v for k, v in outcomes if k == "refused")
    assert PackHandover.objects.count() == 1
    assert OutreachPack.objects.count() == 3
    assert Device.objects.filter(status=Status.GIVEN).count() == 3
    assert Code.objects.filter(status=CodeStatus.GIVEN).count() == 6
    assert Code.objects.filter(status=CodeStatus.IN_STOCK).count() == 4
