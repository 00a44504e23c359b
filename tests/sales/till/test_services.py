"""Selling a basket: devices and codes at the prices of the day, payment, effects, refusals that
save nothing, the same basket paid twice."""

from decimal import Decimal

import pytest

from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, CodeEvent
from solidarnum.equipment.enums import Status
from solidarnum.privacy.models import AuditEvent
from solidarnum.sales.enums import BasketStatus, PaymentMethod
from solidarnum.sales.models import Basket, Receipt, Sale, SaleLine, TillRight
from solidarnum.sales.receipts.services import reveal_secrets
from solidarnum.sales.till import services as till
from solidarnum.sales.till.services import Payment
from tests.connectivity.factories import make_codes, make_offer
from tests.equipment.factories import make_device, make_prices
from tests.sales.factories import make_market_prices, make_person, open_till, scope_of_user, sell


@pytest.fixture
def shop(world):
    make_prices()
    make_market_prices()
    recharge = make_offer("Recharge essentielle", solidarity="4.00", market="6.00")
    data = make_offer("Carte data 8 Go", kind="data", solidarity="2.00", market="4.00")
    make_codes(recharge, world.site_a, 5)
    make_codes(data, world.site_a, 5)
    return {"recharge": recharge, "data": data, "session": open_till(world)}


def test_a_device_and_a_recharge_in_cash_with_change(world, shop):
    person = make_person(world)
    laptop = make_device(world, grade="B")
    sale = sell(
        world,
        shop["session"],
        person,
        devices=(laptop,),
        offers=(shop["recharge"],),
        payment=Payment(PaymentMethod.CASH, tendered=Decimal("100")),
    )
    assert sale.total == Decimal("94.00")  # 90 (laptop B) + 4
    assert sale.change_given == Decimal("6.00")
    assert sale.market_total == Decimal("356.00")
    lines = list(sale.lines.order_by("id"))
    assert [(line.paid, line.market_price, line.saving) for line in lines] == [
        (Decimal("90.00"), Decimal("350.00"), Decimal("260.00")),
        (Decimal("4.00"), Decimal("6.00"), Decimal("2.00")),
    ]
    laptop.refresh_from_db()
    assert laptop.status == Status.SOLD and laptop.sold_to == person
    code = Code.objects.get(pk=lines[1].code_id)
    assert code.status == CodeStatus.SOLD and code.beneficiary == person
    milestones = set(
        TimelineEntry.objects.filter(beneficiary=person)
        .exclude(milestone="")
        .values_list("milestone", flat=True)
    )
    assert milestones == {Milestone.EQUIPPED, Milestone.CONNECTED}
    assert Receipt.objects.filter(sale=sale).count() == 1
    assert AuditEvent.objects.filter(object_type="sales.sale", object_id=str(sale.pk)).exists()
    assert Basket.objects.get(key=sale.idempotency_key).status == BasketStatus.SOLD


def test_the_device_reserved_for_the_person(world, shop):
    person = make_person(world)
    staff = scope_of_user(world, "staff_a")
    from solidarnum.equipment.reservations.services import reserve

    device = reserve(
        acting_user=staff.user, scope=staff, device=make_device(world), beneficiary=person
    )
    sale = sell(world, shop["session"], person, devices=(device,))
    device.refresh_from_db()
    assert device.status == Status.SOLD and sale.total == Decimal("90.00")


def test_a_device_reserved_for_someone_else_is_refused(world, shop):
    staff = scope_of_user(world, "staff_a")
    from solidarnum.equipment.reservations.services import reserve

    device = reserve(
        acting_user=staff.user,
        scope=staff,
        device=make_device(world),
        beneficiary=make_person(world),
    )
    with pytest.raises(ServiceError, match="pas disponible"):
        sell(world, shop["session"], make_person(world), devices=(device,))


def test_the_same_basket_paid_twice_is_one_sale(world, shop):
    person = make_person(world)
    staff = scope_of_user(world, "staff_a")
    basket = till.start_basket(
        acting_user=staff.user, scope=staff, session=shop["session"], beneficiary=person
    )
    till.add_offer(acting_user=staff.user, scope=staff, basket=basket, offer=shop["recharge"])
    pay = Payment(PaymentMethod.CARD)
    first = till.sell_basket(
        acting_user=staff.user, scope=staff, basket_key=basket.key, payment=pay
    )
    second = till.sell_basket(
        acting_user=staff.user, scope=staff, basket_key=basket.key, payment=pay
    )
    assert first.pk == second.pk
    assert Sale.objects.count() == 1 and SaleLine.objects.count() == 1


def test_free_needs_a_reason_and_records_nothing_paid(world, shop):
    person = make_person(world)
    with pytest.raises(ServiceError, match="motif"):
        sell(world, shop["session"], person, offers=(shop["recharge"],), payment=Payment("free"))
    assert Sale.objects.count() == 0
    assert Code.objects.filter(status=CodeStatus.SOLD).count() == 0  # rolled back
    sale = sell(
        world,
        shop["session"],
        person,
        offers=(shop["recharge"],),
        payment=Payment(PaymentMethod.FREE, free_reason="pack maraude"),
    )
    assert sale.total == Decimal("0") and sale.lines.get().paid == Decimal("0")
    assert sale.lines.get().saving == Decimal("6.00")


def test_cash_below_the_total_is_refused_and_nothing_saved(world, shop):
    with pytest.raises(ServiceError, match="inférieure au total"):
        sell(
            world,
            shop["session"],
            make_person(world),
            offers=(shop["recharge"], shop["data"]),
            payment=Payment(PaymentMethod.CASH, tendered=Decimal("5")),
        )
    assert Sale.objects.count() == 0 and Receipt.objects.count() == 0
    assert Code.objects.filter(status=CodeStatus.SOLD).count() == 0


def test_no_access_is_refused_with_the_message(world, shop):
    person = make_person(world, access_days=-1)
    with pytest.raises(ServiceError, match=r"Accès terminé le .*, une nouvelle orientation"):
        sell(world, shop["session"], person, offers=(shop["recharge"],))
    assert Sale.objects.count() == 0


def test_a_second_laptop_needs_the_managers_override(world, shop):
    person = make_person(world)
    sell(world, shop["session"], person, devices=(make_device(world),))
    second = make_device(world)
    with pytest.raises(ServiceError, match="déjà été obtenu"):
        sell(world, shop["session"], person, devices=(second,))
    with pytest.raises(ServiceError, match="Seul le responsable"):
        sell(world, shop["session"], person, devices=(second,), override_reason="vol déclaré")
    sale = sell(
        world,
        shop["session"],
        person,
        devices=(second,),
        who="manager_a",
        override_reason="vol déclaré à la police",
    )
    assert sale.override_reason == "vol déclaré à la police"
    assert sale.override_by == world.users["manager_a"]


def test_no_code_left_is_refused(world, shop):
    offer = make_offer("Carte SIM", kind="sim", solidarity="1.00", market="10.00")
    with pytest.raises(ServiceError, match="Plus aucun « Carte SIM » disponible"):
        sell(world, shop["session"], make_person(world), offers=(offer,))


def test_a_volunteer_sells_only_with_the_till_right(world, shop):
    person = make_person(world)
    with pytest.raises(ServiceError, match="Vous ne pouvez pas vendre"):
        sell(world, shop["session"], person, offers=(shop["recharge"],), who="volunteer_a")
    volunteer = scope_of_user(world, "volunteer_a")
    TillRight.objects.create(membership=volunteer.membership)
    sale = sell(world, shop["session"], person, offers=(shop["recharge"],), who="volunteer_a")
    assert sale.sold_by == world.users["volunteer_a"]
    # Not an available device: only staff reserve it.
    with pytest.raises(ServiceError, match="bénévole"):
        sell(world, shop["session"], person, devices=(make_device(world),), who="volunteer_a")


def test_another_sites_staff_cannot_sell_here(world, shop):
    with pytest.raises(ServiceError, match="Vous ne pouvez pas vendre"):
        sell(world, shop["session"], make_person(world), offers=(shop["recharge"],), who="staff_b")


def test_an_empty_basket_is_refused(world, shop):
    staff = scope_of_user(world, "staff_a")
    basket = till.start_basket(
        acting_user=staff.user,
        scope=staff,
        session=shop["session"],
        beneficiary=make_person(world),
    )
    with pytest.raises(ServiceError, match="vide"):
        till.sell_basket(
            acting_user=staff.user,
            scope=staff,
            basket_key=basket.key,
            payment=Payment(PaymentMethod.CARD),
        )


def test_prices_of_the_day_are_kept_on_the_line(world, shop):
    from datetime import timedelta

    from django.utils import timezone

    from solidarnum.connectivity.models import OfferPrice

    OfferPrice.objects.create(
        offer=shop["recharge"],
        valid_from=timezone.localdate() - timedelta(days=1),
        solidarity_price=Decimal("3.50"),
        market_price=Decimal("6.50"),
    )
    sale = sell(world, shop["session"], make_person(world), offers=(shop["recharge"],))
    line = sale.lines.get()
    assert (line.solidarity_price, line.market_price) == (Decimal("3.50"), Decimal("6.50"))


def test_a_volunteer_with_the_till_right_sells_a_code_and_prints_its_secret(world, shop):
    """Through connectivity's take_next_code and secret_for_receipt, which ask the till's rule."""

    volunteer = scope_of_user(world, "volunteer_a")
    TillRight.objects.create(membership=volunteer.membership)
    person = make_person(world)
    sale = sell(world, shop["session"], person, offers=(shop["recharge"],), who="volunteer_a")
    line = sale.lines.get()
    event = CodeEvent.objects.get(code_id=line.code_id, to_status=CodeStatus.SOLD)
    assert event.actor == world.users["volunteer_a"] and event.reason == "vendu à la caisse"
    volunteer = scope_of_user(world, "volunteer_a")
    shown = reveal_secrets(
        acting_user=volunteer.user, scope=volunteer, receipt=Receipt.objects.get(sale=sale)
    )
    assert list(shown) == [line.pk] and shown[line.pk]
    assert (
        reveal_secrets(
            acting_user=volunteer.user, scope=volunteer, receipt=Receipt.objects.get(sale=sale)
        )
        == {}
    )


def test_the_file_is_equipped_and_connected_once_and_a_refund_does_not_undo_it(world, shop):
    from solidarnum.beneficiaries.models import Beneficiary
    from solidarnum.sales.refunds import services as refunds

    person = make_person(world)
    first = sell(world, shop["session"], person, offers=(shop["recharge"],))
    person.refresh_from_db()
    assert person.is_connected and not person.is_equipped
    sell(world, shop["session"], person, offers=(shop["recharge"],))
    laptop = make_device(world)
    sell(world, shop["session"], person, devices=(laptop,))
    person = Beneficiary.objects.get(pk=person.pk)
    assert person.is_connected and person.is_equipped
    entries = TimelineEntry.objects.filter(beneficiary=person).exclude(milestone="")
    assert sorted(entries.values_list("milestone", flat=True)) == sorted(
        [Milestone.CONNECTED, Milestone.EQUIPPED]
    )
    # Each flag is audited once, when it is reached.
    flags = AuditEvent.objects.filter(
        object_type="beneficiaries.beneficiary", object_id=str(person.pk)
    )
    assert sorted(f for e in flags for f in e.changed_fields) == ["is_connected", "is_equipped"]
    staff = scope_of_user(world, "staff_a")
    refunds.void_sale(acting_user=staff.user, scope=staff, sale=first, reason="erreur")
    person.refresh_from_db()
    assert person.is_connected
