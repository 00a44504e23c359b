"""Access-matrix rows for the till's pages, and the builders they share."""

import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from solidarnum.accounts.models import Membership
from solidarnum.sales.enums import SessionStatus
from solidarnum.sales.models import Basket, BasketItem, CashSession, Receipt, Till
from tests.connectivity.factories import make_codes, make_offer
from tests.matrix import ADMIN, SITE_A_STAFF, SITE_A_TEAM, SITE_TEAMS, expect
from tests.sales.factories import make_person, open_till, sell


def _open_session(world: Any) -> CashSession:
    found = CashSession.objects.filter(
        reception_point=world.site_a, status=SessionStatus.OPEN
    ).first()
    return found or open_till(world)


def till_a(world: Any) -> dict[str, int]:
    till, _ = Till.objects.get_or_create(reception_point=world.site_a, name="Caisse 1")
    return {"till": till.pk}


def volunteer_a(world: Any) -> dict[str, int]:
    return {"membership": Membership.objects.get(user=world.users["volunteer_a"]).pk}


def session_a(world: Any) -> dict[str, int]:
    return {"pk": _open_session(world).pk}


def closed_session_a(world: Any) -> dict[str, int]:
    till, _ = Till.objects.get_or_create(reception_point=world.site_a, name="Caisse fermée")
    session = CashSession.objects.create(
        till=till,
        reception_point=world.site_a,
        opened_by=world.users["staff_a"],
        opening_float=Decimal("20"),
        status=SessionStatus.CLOSED,
        closed_by=world.users["staff_a"],
        closed_at=timezone.now(),
        counted_cash=Decimal("20"),
        expected_cash=Decimal("20"),
        counted_card=Decimal("0"),
        expected_card=Decimal("0"),
        difference=Decimal("0"),
    )
    return {"pk": session.pk}


def _basket(world: Any) -> Basket:
    offer = make_offer("Recharge de la caisse")
    basket = Basket.objects.create(
        session=_open_session(world),
        beneficiary=make_person(world),
        key=uuid.uuid4(),
        created_by=world.users["staff_a"],
    )
    BasketItem.objects.create(basket=basket, offer=offer)
    return basket


def basket_a(world: Any) -> dict[str, Any]:
    return {"key": _basket(world).key}


def basket_item_a(world: Any) -> dict[str, Any]:
    basket = _basket(world)
    return {"key": basket.key, "item": basket.items.get().pk}


def _sale(world: Any):  # type: ignore[no-untyped-def]
    offer = make_offer("Recharge vendue")
    make_codes(offer, world.site_a, 1)
    return sell(world, _open_session(world), make_person(world), offers=(offer,))


def sale_a(world: Any) -> dict[str, int]:
    return {"pk": _sale(world).pk}


def sale_line_a(world: Any) -> dict[str, int]:
    sale = _sale(world)
    return {"pk": sale.pk, "line": sale.lines.get().pk}


def receipt_a(world: Any) -> dict[str, str]:
    return {"number": Receipt.objects.get(sale=_sale(world)).number}


def receipt_pdf_a(world: Any) -> dict[str, str]:
    return {**receipt_a(world), "size": "ticket"}


READERS = ADMIN | SITE_A_TEAM

ROWS = [
    ("sales:till_home", None, "get", expect(ADMIN | SITE_TEAMS)),
    ("sales:till_create", None, "post", expect({"manager_a"}, ok_code=302)),
    (
        "sales:till_right_toggle",
        volunteer_a,
        "post",
        expect({"manager_a"}, ok_code=302),
    ),
    ("sales:session_open", till_a, "post", expect(SITE_A_TEAM, ok_code=302, staff_b=404)),
    ("sales:session_list", None, "get", expect(ADMIN | SITE_TEAMS)),
    ("sales:session_detail", session_a, "get", expect(READERS, staff_b=404)),
    ("sales:session_close", session_a, "get", expect(SITE_A_TEAM, staff_b=404)),
    ("sales:session_pdf", closed_session_a, "get", expect(READERS, staff_b=404)),
    ("sales:sale_screen", session_a, "get", expect(SITE_A_TEAM, staff_b=404)),
    ("sales:basket_start", session_a, "post", expect(SITE_A_TEAM, ok_code=302, staff_b=404)),
    ("sales:basket", basket_a, "get", expect(SITE_A_TEAM, staff_b=404)),
    ("sales:basket_add", basket_a, "post", expect(SITE_A_TEAM, ok_code=302, staff_b=404)),
    (
        "sales:basket_remove",
        basket_item_a,
        "post",
        expect(SITE_A_TEAM, ok_code=302, staff_b=404),
    ),
    ("sales:basket_abandon", basket_a, "post", expect(SITE_A_TEAM, ok_code=302, staff_b=404)),
    # An empty payment form: 400, nothing sold.
    ("sales:basket_pay", basket_a, "post", expect(SITE_A_TEAM, ok_code=400, staff_b=404)),
    ("sales:receipt_prefix", None, "get", expect({"manager_a"})),
    ("sales:receipt", receipt_a, "get", expect(READERS, staff_b=404)),
    ("sales:receipt_secrets", receipt_a, "post", expect(SITE_A_TEAM, staff_b=404)),
    ("sales:receipt_sms", receipt_a, "post", expect(SITE_A_TEAM, ok_code=302, staff_b=404)),
    ("sales:receipt_pdf", receipt_pdf_a, "get", expect(READERS, staff_b=404)),
    ("sales:sale_detail", sale_a, "get", expect(READERS, staff_b=404)),
    # Volunteers never void nor refund.
    ("sales:sale_void", sale_a, "post", expect(SITE_A_STAFF, ok_code=302, staff_b=404)),
    ("sales:sale_refund", sale_a, "post", expect(SITE_A_STAFF, ok_code=302, staff_b=404)),
    # An empty exchange form: back to the sale with a message, nothing exchanged.
    ("sales:sale_exchange", sale_a, "post", expect(SITE_A_STAFF, ok_code=302, staff_b=404)),
    ("sales:line_swap", sale_line_a, "post", expect(SITE_A_STAFF, ok_code=302, staff_b=404)),
    ("sales:purchasing_power", None, "get", expect(ADMIN | {"manager_a"})),
]
