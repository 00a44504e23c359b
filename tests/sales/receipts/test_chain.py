"""Receipt numbers follow each other per site and year; the chain names its first broken link."""

import itertools
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from solidarnum.sales.models import Receipt, ReceiptSeries
from solidarnum.sales.receipts.chain import verify_chain
from tests.connectivity.factories import make_codes, make_offer
from tests.sales.factories import make_person, open_till, sell


@pytest.fixture
def receipts(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 4)
    make_codes(offer, world.site_b, 1)
    session = open_till(world)
    for _ in range(4):
        sell(world, session, make_person(world), offers=(offer,))
    other = open_till(world, who="staff_b")
    sell(world, other, make_person(world, site=world.site_b), offers=(offer,), who="staff_b")
    return list(Receipt.objects.filter(reception_point=world.site_a).order_by("id"))


def test_numbers_without_gaps_and_each_carries_the_previous_hash(world, receipts):
    year = receipts[0].year
    assert [r.number for r in receipts] == [f"P19-{year}-{n:06d}" for n in range(1, 5)]
    assert receipts[0].previous_hash == ""
    for before, after in itertools.pairwise(receipts):
        assert after.previous_hash == before.hash
    assert ReceiptSeries.objects.get(reception_point=world.site_a).last_hash == receipts[-1].hash
    other = Receipt.objects.get(reception_point=world.site_b)
    assert other.number == f"CRE-{year}-000001"


def test_the_chain_holds(world, receipts):
    assert verify_chain(world.site_a.pk) == (4, None)
    out = StringIO()
    call_command("verify_receipt_chain", stdout=out)
    assert "4 tickets" in out.getvalue()


def _tamper(sql, params):
    """What someone with database rights could do, triggers dropped."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Triggers skipped for this transaction (a superuser's replication role).
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER sales_receipt_no_update")
            cursor.execute("DROP TRIGGER sales_saleline_no_update")
        cursor.execute(sql, params)


def test_a_changed_amount_is_the_first_broken_link(world, receipts):
    _tamper("UPDATE sales_receipt SET amount = %s WHERE id = %s", [Decimal("1.00"), receipts[2].pk])
    count, broken = verify_chain(world.site_a.pk)
    assert count == 2 and broken is not None and broken.number == receipts[2].number
    with pytest.raises(CommandError, match=receipts[2].number):
        call_command("verify_receipt_chain", stdout=StringIO())


def test_a_changed_line_breaks_its_receipt(world, receipts):
    line = receipts[1].sale.lines.get()
    _tamper("UPDATE sales_saleline SET paid = 0 WHERE id = %s", [line.pk])
    assert verify_chain(world.site_a.pk)[1].number == receipts[1].number


def test_a_removed_receipt_breaks_the_next_one(world, receipts):
    _tamper("UPDATE sales_receipt SET previous_hash = %s WHERE id = %s", ["0" * 64, receipts[1].pk])
    broken = verify_chain(world.site_a.pk)[1]
    assert broken.number == receipts[1].number and broken.reason == "previous_hash"
