"""Builders for the connectivity tests: offers with their prices, codes in stock."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from solidarnum.connectivity import crypto
from solidarnum.connectivity.enums import CodeStatus, OfferKind
from solidarnum.connectivity.models import Code, CodeEvent, Offer, OfferPrice

_serials = itertools.count(1)


def make_offer(
    name: str = "Recharge essentielle",
    *,
    kind: str = OfferKind.TOP_UP,
    solidarity: str = "4.00",
    market: str = "6.00",
    since: date | None = None,
    **extra: Any,
) -> Offer:
    offer = Offer.objects.create(
        name=name,
        kind=kind,
        operator="SFR",
        validity_days=30,
        data_gb=Decimal("5"),
        unlimited_calls_sms=True,
        **extra,
    )
    OfferPrice.objects.create(
        offer=offer,
        valid_from=since or timezone.localdate() - timedelta(days=60),
        solidarity_price=Decimal(solidarity),
        market_price=Decimal(market),
    )
    return offer


def secret_of(serial: str) -> str:
    """The secret code the factory gives a serial (digits, recognisable in a grep)."""
    return "7391" + serial[-10:].rjust(10, "0")


def make_codes(
    offer: Offer,
    place: Any,
    n: int = 1,
    *,
    expires_on: date | None = None,
    with_secret: bool = True,
    status: str = CodeStatus.IN_STOCK,
) -> list[Code]:
    """`n` codes of `offer` in stock at `place`, with their first history line."""
    expires_on = expires_on or timezone.localdate() + timedelta(days=300)
    codes = []
    for _ in range(n):
        serial = f"RC{next(_serials):010d}"
        codes.append(
            Code(
                offer=offer,
                serial=serial,
                secret_token=crypto.encrypt(secret_of(serial)) if with_secret else "",
                face_value=Decimal("10.00"),
                expires_on=expires_on,
                status=status,
                reception_point=place,
            )
        )
    Code.objects.bulk_create(codes)
    CodeEvent.objects.bulk_create(
        CodeEvent(code=c, offer=offer, to_status=status, reception_point=place) for c in codes
    )
    return codes


def make_pack_stock(world: Any, n: int, *, site: str = "a") -> tuple[Offer, Offer]:
    """`n` basic phones available, `n` SIM cards and `n` recharges in stock at a site of the
    world: enough for `n` outreach packs. Returns (SIM offer, recharge offer)."""
    from solidarnum.equipment.enums import DeviceKind
    from tests.equipment.factories import make_device, make_donation

    place = world.site_a if site == "a" else world.site_b
    sim = Offer.objects.filter(name="Carte SIM prépayée").first() or make_offer(
        "Carte SIM prépayée", kind=OfferKind.SIM, solidarity="2", market="10"
    )
    top_up = Offer.objects.filter(name="Recharge essentielle").first() or make_offer()
    make_codes(sim, place, n, with_secret=False)
    make_codes(top_up, place, n)
    donation = make_donation(world)
    for _ in range(n):
        make_device(
            world,
            site=site,
            donation=donation,
            kind=DeviceKind.BASIC_PHONE,
            imei=None,
            brand="Nokia",
            model_name="105",
        )
    return sim, top_up
