"""What the database itself holds: one open session per till, one sale per basket key, nothing
sold is changed or deleted, receipts numbered once per site and year."""

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from solidarnum.sales.enums import SessionStatus
from solidarnum.sales.models import AppendOnlyError, CashSession, Receipt, Sale, SaleLine, Till
from solidarnum.sales.receipts.chain import default_prefix, format_number
from tests.connectivity.factories import make_codes, make_offer
from tests.sales.factories import make_person, open_till, sell


def test_one_open_session_per_till(world):
    session = open_till(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        CashSession.objects.create(
            till=session.till,
            reception_point=world.site_a,
            opened_by=world.users["staff_a"],
            opening_float=Decimal("10"),
        )
    # Another till of the same site opens.
    other = Till.objects.create(reception_point=world.site_a, name="Accueil")
    CashSession.objects.create(
        till=other,
        reception_point=world.site_a,
        opened_by=world.users["staff_a"],
        opening_float=Decimal("10"),
    )


def test_a_closed_session_is_never_changed_nor_deleted(world):
    session = open_till(world)
    CashSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.CLOSED,
        closed_at=session.opened_at,
        closed_by=world.users["staff_a"],
        counted_cash=Decimal("50"),
        expected_cash=Decimal("50"),
        difference=Decimal("0"),
    )
    session.refresh_from_db()
    session.comment = "changé"
    with pytest.raises(AppendOnlyError):
        session.save()
    with pytest.raises(AppendOnlyError):
        session.delete()


@pytest.fixture
def sale(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 2)
    return sell(world, open_till(world), make_person(world), offers=(offer,))


def test_a_sale_and_its_lines_are_append_only(sale):
    sale.total = Decimal("0")
    with pytest.raises(AppendOnlyError):
        sale.save()
    with pytest.raises(AppendOnlyError):
        sale.delete()
    with pytest.raises(AppendOnlyError):
        Sale.objects.filter(pk=sale.pk).update(total=Decimal("1"))
    with pytest.raises(AppendOnlyError):
        SaleLine.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Receipt.objects.all().update(amount=Decimal("0"))


def test_the_database_refuses_an_update_of_a_sale(sale):
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE sales_sale SET total = 0 WHERE id = %s", [sale.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger on PostgreSQL")
def test_postgresql_refuses_a_delete_of_a_receipt(sale):
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM sales_receipt")


def test_one_sale_per_idempotency_key(sale):
    with pytest.raises(IntegrityError), transaction.atomic():
        Sale.objects.create(
            reception_point=sale.reception_point,
            session=sale.session,
            beneficiary=sale.beneficiary,
            idempotency_key=sale.idempotency_key,
            sold_by=sale.sold_by,
            payment_method="card",
            total=Decimal("0"),
            market_total=Decimal("0"),
        )
    assert Sale.objects.filter(idempotency_key=sale.idempotency_key).count() == 1
    assert uuid.UUID(str(sale.idempotency_key))


def test_receipt_numbers_read_like_the_counter_says(world, sale):
    receipt = Receipt.objects.get(sale=sale)
    assert default_prefix(world.site_a) == "P19"
    assert default_prefix(world.site_b) == "CRE"
    assert receipt.number == format_number("P19", receipt.year, 1)
    assert format_number("P19", 2026, 123) == "P19-2026-000123"
