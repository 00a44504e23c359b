from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import selectors
from solidarnum.connectivity.enums import OfferKind
from solidarnum.connectivity.models import OfferPrice
from solidarnum.connectivity.offers import services
from solidarnum.privacy.models import AuditEvent
from tests.connectivity.factories import make_offer

pytestmark = pytest.mark.django_db


def _admin(world):
    return {"acting_user": world.users["admin"], "scope": resolve_scope(world.users["admin"], None)}


def test_a_national_admin_adds_an_offer_with_its_first_prices(world):
    offer = services.create_offer(
        **_admin(world),
        name="Carte data 8 Go",
        kind=OfferKind.DATA,
        operator="SFR",
        validity_days=30,
        data_gb=Decimal("8"),
        quota_per_30_days=2,
        solidarity_price=Decimal("2.00"),
        market_price=Decimal("4.00"),
    )
    price = selectors.price_on(offer.pk, timezone.localdate())
    assert (price.solidarity_price, price.market_price) == (Decimal("2.00"), Decimal("4.00"))
    assert AuditEvent.objects.filter(object_type="connectivity.offer", action="create").exists()


def test_only_national_admins_manage_the_catalogue(world):
    staff = world.users["manager_a"]
    with pytest.raises(ServiceError, match="équipe nationale"):
        services.create_offer(
            acting_user=staff,
            scope=resolve_scope(staff, None),
            name="X",
            kind=OfferKind.SIM,
            operator="SFR",
            solidarity_price=Decimal("1"),
            market_price=Decimal("2"),
        )


def test_a_price_change_from_a_date_keeps_the_past_prices(world):
    offer = make_offer(solidarity="6.00", market="10.00")
    today = timezone.localdate()
    services.set_offer_price(
        **_admin(world),
        offer=offer,
        valid_from=today + timedelta(days=3),
        solidarity_price=Decimal("4.00"),
        market_price=Decimal("10.00"),
    )
    assert selectors.price_on(offer.pk, today).solidarity_price == Decimal("6.00")
    assert selectors.price_on(offer.pk, today + timedelta(days=3)).solidarity_price == Decimal(
        "4.00"
    )
    assert selectors.prices_in_force(today)[offer.pk].solidarity_price == Decimal("6.00")


def test_a_price_never_starts_in_the_past_nor_above_the_market(world):
    offer = make_offer()
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ServiceError, match="jamais dans le passé"):
        services.set_offer_price(
            **_admin(world),
            offer=offer,
            valid_from=yesterday,
            solidarity_price=Decimal("1"),
            market_price=Decimal("2"),
        )
    with pytest.raises(ServiceError, match="ne peut pas dépasser"):
        services.set_offer_price(
            **_admin(world),
            offer=offer,
            valid_from=timezone.localdate(),
            solidarity_price=Decimal("9"),
            market_price=Decimal("2"),
        )
    assert OfferPrice.objects.filter(offer=offer).count() == 1


def test_the_database_refuses_a_solidarity_price_above_the_market():
    offer = make_offer()
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferPrice.objects.create(
            offer=offer,
            valid_from=timezone.localdate() + timedelta(days=9),
            solidarity_price=Decimal("9"),
            market_price=Decimal("2"),
        )


def test_a_withdrawn_offer_is_hidden_never_deleted(world):
    offer = make_offer()
    services.set_offer_withdrawn(**_admin(world), offer=offer, withdrawn=True)
    assert offer not in selectors.offers()
    assert offer in selectors.offers(include_withdrawn=True)
