from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import crypto
from solidarnum.connectivity.codes import services
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, CodeEvent
from solidarnum.privacy.models import AuditEvent
from tests.beneficiaries import make_beneficiary
from tests.connectivity.factories import make_codes, make_offer, secret_of

pytestmark = pytest.mark.django_db


def _as(world, role):
    user = world.users[role]
    return {"acting_user": user, "scope": resolve_scope(user, None)}


def _take(world, offer, role="staff_a", place=None, **extra):
    return services.take_next_code(
        **_as(world, role), offer=offer, reception_point=place or world.site_a, **extra
    )


def test_take_next_code_sells_the_soonest_expiring_code_and_keeps_the_move(world):
    offer = make_offer()
    today = timezone.localdate()
    later = make_codes(offer, world.site_a, expires_on=today + timedelta(days=90))[0]
    sooner = make_codes(offer, world.site_a, expires_on=today + timedelta(days=10))[0]

    taken = _take(world, offer)

    assert taken.code_id == sooner.pk and taken.status == CodeStatus.SOLD
    assert str(taken.solidarity_price) == "4.00" and str(taken.market_price) == "6.00"
    assert not hasattr(taken, "secret")
    assert Code.objects.get(pk=later.pk).status == CodeStatus.IN_STOCK
    event = CodeEvent.objects.get(code_id=sooner.pk, to_status=CodeStatus.SOLD)
    assert (event.from_status, event.actor, event.reception_point) == (
        CodeStatus.IN_STOCK,
        world.users["staff_a"],
        world.site_a,
    )


def test_take_next_code_skips_revealed_expired_and_other_sites_codes(world):
    offer = make_offer()
    make_codes(offer, world.site_b)
    make_codes(offer, world.site_a, expires_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ServiceError, match="Plus aucun « Recharge essentielle » disponible"):
        _take(world, offer)


def test_only_the_sites_staff_take_its_codes(world):
    offer = make_offer()
    make_codes(offer, world.site_a)
    for role in ("staff_b", "admin", "volunteer_a", "relay_operator"):
        with pytest.raises(ServiceError):
            _take(world, offer, role=role)
    assert Code.objects.get().status == CodeStatus.IN_STOCK


def test_a_withdrawn_offer_is_not_sold(world):
    offer = make_offer(is_withdrawn=True)
    make_codes(offer, world.site_a)
    with pytest.raises(ServiceError, match="retirée"):
        _take(world, offer)


def test_a_persons_quota_is_counted_once_by_the_till_not_here(world):
    """The till's eligibility rules (`sales.eligibility`) count a person's codes on the sale
    lines that still stand, so a voided or refunded line gives its quota back. Taking a code
    counts nothing of its own: a second count here kept a voided code's quota taken."""
    offer = make_offer(quota_per_30_days=1)
    make_codes(offer, world.site_a, 2)
    awa = make_beneficiary(world)
    _take(world, offer, beneficiary=awa)
    _take(world, offer, beneficiary=awa)
    assert Code.objects.filter(beneficiary=awa, status=CodeStatus.SOLD).count() == 2


def test_the_first_code_sets_the_connection_milestone(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 2)
    awa = make_beneficiary(world)
    _take(world, offer, beneficiary=awa)
    _take(world, offer, beneficiary=awa)
    entries = TimelineEntry.objects.filter(beneficiary=awa, kind="connectivity.code_obtained")
    assert entries.count() == 2
    assert [e.milestone for e in entries.order_by("at", "pk")] == [Milestone.CONNECTED, ""]
    assert "Recharge essentielle obtenu" in entries.first().summary


def test_a_held_code_is_confirmed_or_released(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 2)
    first = _take(world, offer, hold=True)
    second = _take(world, offer, hold=True)
    assert first.status == CodeStatus.RESERVED
    services.confirm_code(**_as(world, "staff_a"), code_id=first.code_id)
    services.release_code(**_as(world, "staff_a"), code_id=second.code_id)
    assert Code.objects.get(pk=first.code_id).status == CodeStatus.SOLD
    assert Code.objects.get(pk=second.code_id).status == CodeStatus.IN_STOCK
    with pytest.raises(ServiceError, match="plus réservé"):
        services.confirm_code(**_as(world, "staff_a"), code_id=second.code_id)


def test_the_receipt_shows_the_secret_once(world):
    offer = make_offer()
    code = make_codes(offer, world.site_a)[0]
    taken = _take(world, offer)
    secret = services.secret_for_receipt(**_as(world, "staff_a"), code_id=taken.code_id)
    assert secret == secret_of(code.serial)
    with pytest.raises(ServiceError, match="déjà été imprimé"):
        services.secret_for_receipt(**_as(world, "staff_a"), code_id=taken.code_id)
    assert AuditEvent.objects.filter(
        object_type="connectivity.code", object_id=str(code.pk), action="view"
    ).exists()


def test_reveal_is_audited_and_only_for_codes_out_of_stock(world):
    offer = make_offer()
    sold, in_stock = make_codes(offer, world.site_a, 2)
    Code.objects.filter(pk=sold.pk).update(status=CodeStatus.SOLD)
    sold.refresh_from_db()
    with pytest.raises(ServiceError, match="encore en stock"):
        services.reveal_code(**_as(world, "staff_a"), code=in_stock, reason="client au guichet")
    with pytest.raises(ServiceError, match="pourquoi"):
        services.reveal_code(**_as(world, "staff_a"), code=sold, reason="")
    for role in ("admin", "staff_b", "volunteer_a"):
        with pytest.raises(ServiceError):
            services.reveal_code(**_as(world, role), code=sold, reason="ticket perdu par Awa")

    secret = services.reveal_code(**_as(world, "staff_a"), code=sold, reason="ticket perdu")

    assert secret == secret_of(sold.serial)
    sold.refresh_from_db()
    assert sold.is_revealed
    audit = AuditEvent.objects.get(object_type="connectivity.code", object_id=str(sold.pk))
    assert (audit.action, audit.changed_fields, audit.actor_id) == (
        "view",
        ["secret_token"],
        world.users["staff_a"].pk,
    )
    assert CodeEvent.objects.filter(code=sold, reason__startswith="code secret révélé").exists()


def test_a_revealed_code_never_goes_back_on_sale(world):
    offer = make_offer()
    make_codes(offer, world.site_a)
    held = _take(world, offer, hold=True)
    with pytest.raises(ServiceError, match="une fois la vente confirmée"):
        services.secret_for_receipt(**_as(world, "staff_a"), code_id=held.code_id)
    # Never shown: a reserved code goes back on sale.
    services.release_code(**_as(world, "staff_a"), code_id=held.code_id)
    sold = _take(world, offer)
    services.secret_for_receipt(**_as(world, "staff_a"), code_id=sold.code_id)
    # Shown: the database refuses it back in any status of the stock.
    for status in (CodeStatus.IN_STOCK, CodeStatus.RESERVED, CodeStatus.CONSIGNED):
        with pytest.raises(IntegrityError), transaction.atomic():
            Code.objects.filter(pk=sold.code_id).update(status=status)
    with pytest.raises(ServiceError, match="plus réservé"):
        services.release_code(**_as(world, "staff_a"), code_id=sold.code_id)


def test_the_database_refuses_a_second_sale_of_one_code(world):
    offer = make_offer()
    code = make_codes(offer, world.site_a)[0]
    CodeEvent.objects.create(code=code, offer=offer, from_status="in_stock", to_status="sold")
    with pytest.raises(IntegrityError), transaction.atomic():
        CodeEvent.objects.create(code=code, offer=offer, from_status="in_stock", to_status="sold")


def test_a_database_dump_reveals_no_secret_code(world):
    offer = make_offer()
    code = make_codes(offer, world.site_a)[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM connectivity_code")
        dumped = repr(cursor.fetchall())
    assert secret_of(code.serial) not in dumped
    assert crypto.decrypt(Code.objects.get().secret_token) == secret_of(code.serial)
    assert secret_of(code.serial) not in repr(code) + str(code)


def test_expired_codes_leave_the_stock(world):
    offer = make_offer()
    old = make_codes(offer, world.site_a, expires_on=timezone.localdate() - timedelta(days=1))[0]
    fresh = make_codes(offer, world.site_a)[0]
    assert services.expire_codes() == 1
    assert Code.objects.get(pk=old.pk).status == CodeStatus.EXPIRED
    assert Code.objects.get(pk=fresh.pk).status == CodeStatus.IN_STOCK


def test_a_defective_code_is_set_aside_with_its_reason(world):
    offer = make_offer()
    code = make_codes(offer, world.site_a)[0]
    with pytest.raises(ServiceError):
        services.declare_defective(**_as(world, "staff_b"), code=code, reason="illisible")
    services.declare_defective(**_as(world, "staff_a"), code=code, reason="code illisible")
    event = CodeEvent.objects.get(code=code, to_status=CodeStatus.DEFECTIVE)
    assert event.reason == "code illisible"


def test_a_volunteer_sells_codes_only_with_the_till_right(world):
    """Who sells codes is one rule: the site's staff, or what the till registered (its volunteers
    with the till right, `sales.permissions.can_sell`)."""
    from solidarnum.connectivity import permissions
    from solidarnum.sales.models import TillRight

    offer = make_offer()
    code = make_codes(offer, world.site_a)[0]
    volunteer = _as(world, "volunteer_a")
    assert not permissions.can_sell_codes(volunteer["scope"], world.site_a.pk)
    with pytest.raises(ServiceError, match="Seule l'équipe de caisse"):
        _take(world, offer, role="volunteer_a")
    assert Code.objects.get(pk=code.pk).status == CodeStatus.IN_STOCK

    TillRight.objects.create(membership=volunteer["scope"].membership)
    volunteer = _as(world, "volunteer_a")
    assert permissions.can_sell_codes(volunteer["scope"], world.site_a.pk)
    assert not permissions.can_sell_codes(volunteer["scope"], world.site_b.pk)
    taken = _take(world, offer, role="volunteer_a", reason="vendu à la caisse")
    assert CodeEvent.objects.get(code_id=taken.code_id, to_status=CodeStatus.SOLD).reason == (
        "vendu à la caisse"
    )
    secret = services.secret_for_receipt(**volunteer, code_id=taken.code_id)
    assert secret == secret_of(code.serial)
    # Another site's codes stay out of reach.
    other = make_codes(offer, world.site_b)[0]
    with pytest.raises(ServiceError):
        _take(world, offer, role="volunteer_a", place=world.site_b)
    assert Code.objects.get(pk=other.pk).status == CodeStatus.IN_STOCK


def test_the_till_writes_its_own_timeline_entry(world):
    """`on_timeline=False`: the till writes one timeline entry for the whole basket."""
    offer = make_offer()
    make_codes(offer, world.site_a, 2)
    person = make_beneficiary(world)
    for _ in range(2):
        _take(world, offer, beneficiary=person, on_timeline=False)
    assert not TimelineEntry.objects.filter(
        beneficiary=person, kind="connectivity.code_obtained"
    ).exists()
