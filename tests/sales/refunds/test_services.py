"""Corrections: a refund of a device back under warranty, a void in the open session, a
defective code swapped, a revealed code never refunded as cash; volunteers never correct."""

from decimal import Decimal

import pytest

from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code
from solidarnum.equipment.enums import Status
from solidarnum.sales.enums import PaymentMethod, ReceiptKind, RefundKind
from solidarnum.sales.models import Receipt, TillRight
from solidarnum.sales.receipts.services import reveal_secrets
from solidarnum.sales.refunds import services as refunds
from solidarnum.sales.sessions import services as sessions
from solidarnum.sales.till.services import Payment
from tests.connectivity.factories import make_codes, make_offer, secret_of
from tests.equipment.factories import make_device, make_prices
from tests.sales.factories import make_person, open_till, scope_of_user, sell


@pytest.fixture
def sold(world):
    make_prices()
    offer = make_offer()
    make_codes(offer, world.site_a, 4)
    session = open_till(world)
    device = make_device(world)
    sale = sell(
        world,
        session,
        make_person(world),
        devices=(device,),
        offers=(offer,),
        payment=Payment(PaymentMethod.CASH, tendered=Decimal("94")),
    )
    return {"sale": sale, "session": session, "device": device, "offer": offer}


def _staff(world, who="staff_a"):
    scope = scope_of_user(world, who)
    return {"acting_user": scope.user, "scope": scope}


def test_void_in_the_open_session(world, sold):
    refund = refunds.void_sale(**_staff(world), sale=sold["sale"], reason="erreur de saisie")
    assert refund.kind == RefundKind.VOID and refund.amount == Decimal("94.00")
    sold["device"].refresh_from_db()
    assert sold["device"].status == Status.AFTER_SALES
    receipt = Receipt.objects.get(refund=refund)
    assert receipt.kind == ReceiptKind.VOID and receipt.amount == Decimal("-94.00")
    with pytest.raises(ServiceError, match="déjà un remboursement"):
        refunds.void_sale(**_staff(world), sale=sold["sale"], reason="encore")


def test_no_void_after_the_session_is_closed(world, sold):
    staff = _staff(world, "manager_a")
    sessions.close_session(
        **staff, session=sold["session"], counted_cash=Decimal("144"), counted_card=Decimal("0")
    )
    with pytest.raises(ServiceError, match="Ouvrez une session"):
        refunds.void_sale(**staff, sale=sold["sale"], reason="trop tard")


def test_no_void_or_refund_by_a_volunteer_even_with_the_till_right(world, sold):
    volunteer = scope_of_user(world, "volunteer_a")
    TillRight.objects.create(membership=volunteer.membership)
    with pytest.raises(ServiceError, match="pas un bénévole"):
        refunds.void_sale(**_staff(world, "volunteer_a"), sale=sold["sale"], reason="erreur")


def test_a_void_needs_a_reason(world, sold):
    with pytest.raises(ServiceError, match="pourquoi"):
        refunds.void_sale(**_staff(world), sale=sold["sale"], reason=" ")


def test_a_revealed_code_is_never_refunded(world, sold):
    receipt = Receipt.objects.get(sale=sold["sale"])
    shown = reveal_secrets(**_staff(world), receipt=receipt)
    assert len(shown) == 1
    with pytest.raises(ServiceError, match="déjà été montré"):
        refunds.void_sale(**_staff(world), sale=sold["sale"], reason="erreur")
    line = sold["sale"].lines.get(kind="code")
    with pytest.raises(ServiceError, match="déjà été montré"):
        refunds.refund_lines(
            **_staff(world),
            sale=sold["sale"],
            session=sold["session"],
            line_ids=[line.pk],
            reason="ne marche pas",
        )


def test_the_device_line_refunded_under_warranty(world, sold):
    line = sold["sale"].lines.get(kind="device")
    refund = refunds.refund_lines(
        **_staff(world),
        sale=sold["sale"],
        session=sold["session"],
        line_ids=[line.pk],
        reason="écran qui clignote",
    )
    assert refund.amount == Decimal("90.00") and refund.method == PaymentMethod.CASH
    sold["device"].refresh_from_db()
    assert sold["device"].status == Status.AFTER_SALES
    with pytest.raises(ServiceError, match="pas encore rendues"):
        refunds.refund_lines(
            **_staff(world),
            sale=sold["sale"],
            session=sold["session"],
            line_ids=[line.pk],
            reason="deux fois",
        )


def test_a_defective_code_is_swapped_and_its_new_secret_shown_once(world, sold):
    receipt = Receipt.objects.get(sale=sold["sale"])
    first = reveal_secrets(**_staff(world), receipt=receipt)
    line = sold["sale"].lines.get(kind="code")
    swap = refunds.swap_code(**_staff(world), line=line, reason="code refusé par l'opérateur")
    assert Code.objects.get(pk=line.code_id).status == CodeStatus.DEFECTIVE
    assert swap.new_code.status == CodeStatus.SOLD
    again = reveal_secrets(**_staff(world), receipt=receipt)
    assert again == {line.pk: secret_of(swap.new_code.serial)}
    assert again != first
    assert reveal_secrets(**_staff(world), receipt=receipt) == {}


def test_a_defective_device_exchanged_in_one_step(world, sold):
    """The return, the replacement's sale and the difference on one "Ticket d'échange"."""
    import uuid

    from solidarnum.sales.receipts.chain import verify_chain
    from solidarnum.sales.sessions.selectors import totals_of

    line = sold["sale"].lines.get(kind="device")
    better = make_device(world, grade="A")
    key = uuid.uuid4()
    receipt = refunds.exchange_device(
        **_staff(world),
        sale=sold["sale"],
        line_id=line.pk,
        device=better,
        session=sold["session"],
        method=PaymentMethod.CASH,
        reason="écran fissuré à la livraison",
        key=key,
    )
    assert receipt.kind == ReceiptKind.EXCHANGE
    refund = receipt.refund
    assert refund.kind == RefundKind.EXCHANGE and refund.amount == line.paid
    replacement = refund.replacement
    assert receipt.sale == replacement and replacement.beneficiary == sold["sale"].beneficiary
    new_line = replacement.lines.get()
    assert receipt.amount == new_line.paid - line.paid
    sold["device"].refresh_from_db()
    better.refresh_from_db()
    assert sold["device"].status == Status.AFTER_SALES and better.status == Status.SOLD
    assert better.sold_to == sold["sale"].beneficiary
    # The drawer: the difference only.
    totals = totals_of(sold["session"])
    assert totals.expected_cash == Decimal("50") + Decimal("94") + receipt.amount
    # A second submission of the same form returns the same exchange.
    again = refunds.exchange_device(
        **_staff(world),
        sale=sold["sale"],
        line_id=line.pk,
        device=better,
        session=sold["session"],
        method=PaymentMethod.CASH,
        reason="écran fissuré à la livraison",
        key=key,
    )
    assert again == receipt
    assert verify_chain(world.site_a.pk) == (Receipt.objects.count(), None)


def test_an_exchange_refused_leaves_everything_as_it_was(world, sold):
    import uuid

    from solidarnum.equipment.enums import DeviceKind

    line = sold["sale"].lines.get(kind="device")
    phone = make_device(world, kind=DeviceKind.SMARTPHONE)
    with pytest.raises(ServiceError, match="même type"):
        refunds.exchange_device(
            **_staff(world),
            sale=sold["sale"],
            line_id=line.pk,
            device=phone,
            session=sold["session"],
            method=PaymentMethod.CASH,
            reason="ne démarre plus",
            key=uuid.uuid4(),
        )
    volunteer = scope_of_user(world, "volunteer_a")
    TillRight.objects.create(membership=volunteer.membership)
    with pytest.raises(ServiceError, match="pas un bénévole"):
        refunds.exchange_device(
            **_staff(world, "volunteer_a"),
            sale=sold["sale"],
            line_id=line.pk,
            device=make_device(world),
            session=sold["session"],
            method=PaymentMethod.CASH,
            reason="ne démarre plus",
            key=uuid.uuid4(),
        )
    sold["device"].refresh_from_db()
    assert sold["device"].status == Status.SOLD
    assert Receipt.objects.count() == 1
