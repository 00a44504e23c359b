"""Builders for the till tests: a person with an access period, a till and its open session,
a basket filled and paid."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from solidarnum.accounts.scope import Scope, resolve_scope
from solidarnum.beneficiaries.enums import Housing
from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary
from solidarnum.sales.models import CashSession, DeviceMarketPrice, Sale, Till
from solidarnum.sales.sessions import services as sessions
from solidarnum.sales.till import services as till

_names = itertools.count(1)


def make_person(
    world: Any,
    *,
    site: Any = None,
    access_days: int | None = 300,
    started_days_ago: int = 30,
    **extra: Any,
) -> Beneficiary:
    """A file at site A (by default) whose access period started 30 days ago and lasts
    `access_days` more days (None: no access period)."""
    n = next(_names)
    person = Beneficiary.objects.create(
        first_name=extra.pop("first_name", f"Karim{n}"),
        last_name=extra.pop("last_name", f"Benali{n}"),
        birth_year=1985,
        phone=extra.pop("phone", f"+336{10000000 + n:08d}"),
        housing=Housing.SHELTERED,
        reception_point=site or world.site_a,
        **extra,
    )
    if access_days is not None:
        today = timezone.localdate()
        AccessPeriod.objects.create(
            beneficiary=person,
            starts_on=today - timedelta(days=started_days_ago),
            ends_on=today + timedelta(days=access_days),
        )
    return person


def scope_of_user(world: Any, name: str) -> Scope:
    return resolve_scope(world.users[name], None)


def open_till(world: Any, *, who: str = "staff_a", name: str = "Caisse 1", site: Any = None):
    site = site or (world.site_a if who != "staff_b" else world.site_b)
    till_row, _ = Till.objects.get_or_create(reception_point=site, name=name)
    scope = scope_of_user(world, who)
    session = sessions.open_session(
        acting_user=scope.user, scope=scope, till=till_row, opening_float=Decimal("50.00")
    )
    return session


def make_market_prices() -> None:
    day = timezone.localdate() - timedelta(days=400)
    for kind, amount in (("laptop", "350.00"), ("smartphone", "180.00"), ("tablet", "200.00")):
        for grade in "ABC":
            DeviceMarketPrice.objects.create(
                kind=kind, grade=grade, valid_from=day, amount=Decimal(amount)
            )


def sell(
    world: Any,
    session: CashSession,
    person: Beneficiary,
    *,
    devices: tuple[Any, ...] = (),
    offers: tuple[Any, ...] = (),
    who: str = "staff_a",
    payment: till.Payment | None = None,
    override_reason: str = "",
) -> Sale:
    scope = scope_of_user(world, who)
    basket = till.start_basket(
        acting_user=scope.user, scope=scope, session=session, beneficiary=person
    )
    for device in devices:
        till.add_device(acting_user=scope.user, scope=scope, basket=basket, device=device)
    for offer in offers:
        till.add_offer(acting_user=scope.user, scope=scope, basket=basket, offer=offer)
    return till.sell_basket(
        acting_user=scope.user,
        scope=scope,
        basket_key=basket.key,
        payment=payment or till.Payment(till.PaymentMethod.CARD),
        override_reason=override_reason,
    )
