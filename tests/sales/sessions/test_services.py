"""Opening and closing a till: the float, the expected amount, the difference, the tolerance."""

from decimal import Decimal

import pytest
from django.test import override_settings

from solidarnum.common.errors import ServiceError
from solidarnum.sales.enums import PaymentMethod, SessionStatus
from solidarnum.sales.models import Till
from solidarnum.sales.sessions import services as sessions
from solidarnum.sales.till import services as till
from solidarnum.sales.till.services import Payment
from tests.connectivity.factories import make_codes, make_offer
from tests.sales.factories import make_person, open_till, scope_of_user, sell


def _close(world, session, who="staff_a", cash="50.00", card="0.00", comment=""):
    scope = scope_of_user(world, who)
    return sessions.close_session(
        acting_user=scope.user,
        scope=scope,
        session=session,
        counted_cash=Decimal(cash),
        counted_card=Decimal(card),
        comment=comment,
    )


def test_a_till_opens_once(world):
    session = open_till(world)
    with pytest.raises(ServiceError, match="déjà ouverte"):
        open_till(world)
    assert session.opening_float == Decimal("50.00")


def test_a_negative_float_is_refused(world):
    staff = scope_of_user(world, "staff_a")
    till_row = Till.objects.create(reception_point=world.site_a, name="Caisse 2")
    with pytest.raises(ServiceError, match="négatif"):
        sessions.open_session(
            acting_user=staff.user, scope=staff, till=till_row, opening_float=Decimal("-1")
        )


def test_closing_computes_expected_and_difference(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 3)
    session = open_till(world)
    sell(
        world,
        session,
        make_person(world),
        offers=(offer, offer),
        payment=Payment(PaymentMethod.CASH, tendered=Decimal("10")),
    )
    sell(world, session, make_person(world), offers=(offer,))
    closed = _close(world, session, cash="57.00", card="4.00", comment="pièce tombée")
    assert closed.status == SessionStatus.CLOSED
    assert closed.expected_cash == Decimal("58.00")  # 50 + 8
    assert closed.expected_card == Decimal("4.00")
    assert closed.difference == Decimal("-1.00")
    with pytest.raises(ServiceError, match="déjà clôturée"):
        _close(world, closed)


def test_a_difference_needs_a_comment(world):
    session = open_till(world)
    with pytest.raises(ServiceError, match="écart de -1,00 €"):
        _close(world, session, cash="49.00")


@override_settings(SALES_CLOSING_TOLERANCE=Decimal("5.00"))
def test_above_the_tolerance_only_the_manager_closes(world):
    session = open_till(world)
    with pytest.raises(ServiceError, match="seul le responsable"):
        _close(world, session, cash="44.00", comment="manque")
    closed = _close(world, session, who="manager_a", cash="44.00", comment="manque")
    assert closed.difference == Decimal("-6.00")


def test_an_unfinished_basket_prevents_closing(world):
    offer = make_offer()
    session = open_till(world)
    staff = scope_of_user(world, "staff_a")
    basket = till.start_basket(
        acting_user=staff.user, scope=staff, session=session, beneficiary=make_person(world)
    )
    till.add_offer(acting_user=staff.user, scope=staff, basket=basket, offer=offer)
    with pytest.raises(ServiceError, match="panier n'est pas terminé"):
        _close(world, session)
    till.abandon_basket(acting_user=staff.user, scope=staff, basket=basket)
    assert _close(world, session).status == SessionStatus.CLOSED


def test_another_site_cannot_close(world):
    session = open_till(world)
    with pytest.raises(ServiceError):
        _close(world, session, who="staff_b")


def test_no_sale_in_a_closed_session(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 1)
    session = open_till(world)
    _close(world, session)
    with pytest.raises(ServiceError, match="clôturée"):
        sell(world, session, make_person(world), offers=(offer,))


def test_the_manager_gives_and_takes_back_the_till_right(world, clients):
    from django.urls import reverse

    from solidarnum.accounts.models import Membership
    from solidarnum.sales.permissions import can_sell

    membership = Membership.objects.get(user=world.users["volunteer_a"])
    url = reverse("sales:till_right_toggle", kwargs={"membership": membership.pk})
    assert not can_sell(scope_of_user(world, "volunteer_a"), world.site_a.pk)
    assert clients["staff_a"].post(url).status_code == 403
    assert clients["manager_a"].post(url).status_code == 302
    assert can_sell(scope_of_user(world, "volunteer_a"), world.site_a.pk)
    page = clients["manager_a"].get(reverse("sales:till_home")).content.decode()
    assert "Retirer le droit de caisse" in page
    clients["manager_a"].post(url)
    assert not can_sell(scope_of_user(world, "volunteer_a"), world.site_a.pk)
    staff = Membership.objects.get(user=world.users["staff_a"])
    manager = scope_of_user(world, "manager_a")
    with pytest.raises(ServiceError, match="bénévole"):
        sessions.grant_till_right(acting_user=manager.user, scope=manager, membership=staff)


def test_the_z_gives_the_span_of_the_sessions_receipts(world):
    from solidarnum.sales.refunds import services as refunds
    from solidarnum.sales.sessions.selectors import receipt_span

    offer = make_offer()
    make_codes(offer, world.site_a, 3)
    session = open_till(world)
    assert receipt_span(session).count == 0
    sales = [sell(world, session, make_person(world), offers=(offer,)) for _ in range(3)]
    staff = scope_of_user(world, "staff_a")
    refunds.void_sale(acting_user=staff.user, scope=staff, sale=sales[1], reason="erreur")
    span = receipt_span(session)
    assert (span.first, span.last, span.count) == (
        sales[0].receipts.get().number,
        sales[1].receipts.get(kind="void").number,
        4,
    )
