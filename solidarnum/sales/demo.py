"""Demo till: tills at Paris 19e and Créteil, closed sessions over the last year with a few
hundred sales of cards and codes at the prices of their day (the March 2026 price change shows),
an open session at each site with today's sales made through the services (a laptop among them),
one refund and one void; the market reference prices of devices; the till right for a volunteer.

Past sales are written in bulk (the services would take minutes on every `make run`) but keep
the rules: each code sold has its history line, each sale its lines at the price in force that
day and its receipt numbered and chained by `receipts.chain.issue`, in order. Idempotent: if
the demo till of Paris 19e exists, nothing more is written.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from solidarnum.accounts.demo import DEMO_EMAIL_DOMAIN
from solidarnum.accounts.models import Membership, User
from solidarnum.accounts.scope import resolve_scope
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, CodeEvent, Offer, OfferPrice
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device
from solidarnum.network.demo import DemoNetwork
from solidarnum.network.models import ReceptionPoint

from .enums import BasketStatus, LineKind, PaymentMethod, SessionStatus
from .models import (
    ZERO,
    Basket,
    BasketItem,
    CashSession,
    DeviceMarketPrice,
    Sale,
    SaleLine,
    Till,
    TillRight,
)
from .receipts import chain
from .refunds import services as refunds
from .sessions import services as sessions
from .till import services as till

SEED = 13
FIRST_TILL = "Caisse 1"
PAST_SESSIONS = 12  # per site, one a month over the last year
SALES_PER_SESSION = 14
MARKET_PRICES = {
    "laptop": "320.00",
    "desktop": "220.00",
    "smartphone": "160.00",
    "tablet": "180.00",
    "basic_phone": "35.00",
    "hotspot": "60.00",
}


def seed_sales(network: DemoNetwork, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    _market_prices()
    if not Till.objects.filter(reception_point=network["paris_19"], name=FIRST_TILL).exists():
        users = {
            u.email.partition("@")[0]: u
            for u in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        }
        rng = random.Random(SEED)
        sites = [
            (network["paris_19"], users["conseiller.paris19"], users["responsable.paris19"]),
            (network["creteil"], users["conseillere.creteil"], users["responsable.creteil"]),
        ]
        for place, staff, manager in sites:
            Till.objects.create(reception_point=place, name=FIRST_TILL)
            _past(place, staff, manager, rng, now)
        Till.objects.create(reception_point=network["paris_19"], name="Accueil")
        volunteer = Membership.objects.filter(
            user=users["benevole.paris19"], reception_point=network["paris_19"]
        ).first()
        if volunteer is not None:
            TillRight.objects.get_or_create(
                membership=volunteer,
                revoked_at=None,
                defaults={"granted_by": users["responsable.paris19"]},
            )
        for place, staff, _manager in sites:
            _today(place, staff, rng)
    return summary()


def summary() -> dict[str, int]:
    counts = Sale.objects.aggregate(n=Count("id"))
    return {
        "sales": counts["n"] or 0,
        "sessions": CashSession.objects.count(),
        "open": CashSession.objects.filter(status=SessionStatus.OPEN).count(),
    }


def _market_prices() -> None:
    since = date(2025, 1, 1)
    for kind, amount in MARKET_PRICES.items():
        for grade, factor in (("A", Decimal("1.2")), ("B", Decimal("1")), ("C", Decimal("0.8"))):
            DeviceMarketPrice.objects.get_or_create(
                kind=kind,
                grade=grade,
                valid_from=since,
                defaults={"amount": (Decimal(amount) * factor).quantize(Decimal("0.01"))},
            )


def _people(place: ReceptionPoint) -> list[Beneficiary]:
    return list(
        Beneficiary.objects.current()
        .filter(reception_point=place, access_periods__isnull=False)
        .distinct()
        .order_by("id")[:120]
    )


def _prices() -> dict[int, list[OfferPrice]]:
    found: dict[int, list[OfferPrice]] = {}
    for price in OfferPrice.objects.order_by("offer_id", "-valid_from"):
        found.setdefault(price.offer_id, []).append(price)
    return found


def _price_on(prices: dict[int, list[OfferPrice]], offer_id: int, day: object) -> OfferPrice | None:
    return next((p for p in prices.get(offer_id, []) if p.valid_from <= day), None)  # type: ignore[operator]


def _past(
    place: ReceptionPoint, staff: User, manager: User, rng: random.Random, now: datetime
) -> None:
    """Closed sessions over six months, their sales of codes, each receipt chained in order."""
    people = _people(place)
    offers = list(Offer.objects.on_sale().order_by("name"))
    prices = _prices()
    needed = PAST_SESSIONS * SALES_PER_SESSION * 2
    stock: dict[int, list[Code]] = {
        offer.pk: list(
            Code.objects.filter(
                offer=offer, reception_point=place, status=CodeStatus.IN_STOCK
            ).order_by("id")[:needed]
        )
        for offer in offers
    }
    if not people or not offers:
        return
    till_row = Till.objects.get(reception_point=place, name=FIRST_TILL)
    for index in range(PAST_SESSIONS):
        day = timezone.localdate(now) - timedelta(days=360 - index * 30)
        opened_at = timezone.make_aware(datetime.combine(day, time(9, 30)))
        session = CashSession.objects.create(
            till=till_row,
            reception_point=place,
            opened_by=staff,
            opened_at=opened_at,
            opening_float=Decimal("50.00"),
        )
        cash = card = ZERO
        for n in range(SALES_PER_SESSION):
            sold_at = opened_at + timedelta(minutes=12 * (n + 1))
            picked = [rng.choice(offers) for _ in range(rng.randint(1, 2))]
            lines: list[SaleLine] = []
            moved: list[Code] = []
            person = rng.choice(people)
            for offer in picked:
                price = _price_on(prices, offer.pk, day)
                if price is None or not stock[offer.pk]:
                    continue
                code = stock[offer.pk].pop()
                code.status = CodeStatus.SOLD
                code.status_changed_at = sold_at
                code.beneficiary = person
                moved.append(code)
                lines.append(
                    SaleLine(
                        kind=LineKind.CODE,
                        offer=offer,
                        code=code,
                        label=offer.name,
                        solidarity_price=price.solidarity_price,
                        market_price=price.market_price,
                        paid=price.solidarity_price,
                        beneficiary=person,
                        sold_at=sold_at,
                    )
                )
            if not lines:
                continue
            method = rng.choice([PaymentMethod.CASH, PaymentMethod.CASH, PaymentMethod.CARD])
            total = sum((line.paid for line in lines), start=ZERO)
            tendered = (
                (total + Decimal(rng.choice([0, 1, 5]))) if method == PaymentMethod.CASH else None
            )
            sale = Sale.objects.create(
                reception_point=place,
                session=session,
                beneficiary=person,
                idempotency_key=uuid.uuid4(),
                sold_by=staff,
                sold_at=sold_at,
                payment_method=method,
                total=total,
                market_total=sum((line.market_price for line in lines), start=ZERO),
                tendered=tendered,
                change_given=(tendered - total) if tendered is not None else None,
            )
            for line in lines:
                line.sale = sale
            SaleLine.objects.bulk_create(lines)
            Code.objects.bulk_update(moved, ["status", "status_changed_at", "beneficiary"])
            CodeEvent.objects.bulk_create(
                CodeEvent(
                    code=code,
                    offer_id=code.offer_id,
                    from_status=CodeStatus.IN_STOCK,
                    to_status=CodeStatus.SOLD,
                    at=sold_at,
                    actor=staff,
                    reason="vendu à la caisse",
                    reception_point=place,
                )
                for code in moved
            )
            chain.issue(sale=sale)
            if method == PaymentMethod.CASH:
                cash += total
            else:
                card += total
        # Every other session closes with a small difference, explained.
        gap = Decimal("-1.00") if index % 4 == 1 else ZERO
        CashSession.objects.filter(pk=session.pk).update(
            status=SessionStatus.CLOSED,
            closed_by=manager if gap else staff,
            closed_at=opened_at + timedelta(hours=8),
            expected_cash=Decimal("50.00") + cash,
            counted_cash=Decimal("50.00") + cash + gap,
            expected_card=card,
            counted_card=card,
            difference=gap,
            comment="pièce de 1 € manquante au comptage" if gap else "",
        )


def _today(place: ReceptionPoint, staff: User, rng: random.Random) -> None:
    """Today's open session, a few sales through the services, a void and a refund."""
    scope = resolve_scope(staff, None)
    if scope.reception_point_id != place.pk:
        membership = Membership.objects.filter(user=staff, reception_point=place).first()
        scope = resolve_scope(staff, membership.pk if membership else None)
    till_row = Till.objects.get(reception_point=place, name=FIRST_TILL)
    session = sessions.open_session(
        acting_user=staff, scope=scope, till=till_row, opening_float=Decimal("60.00")
    )
    people = _people(place)[-30:]
    offers = list(Offer.objects.on_sale().order_by("name"))
    made: list[Sale] = []
    for person in people[:6]:
        basket = Basket.objects.create(
            session=session, beneficiary=person, key=uuid.uuid4(), created_by=staff
        )
        BasketItem.objects.create(basket=basket, offer=rng.choice(offers))
        try:
            made.append(
                till.sell_basket(
                    acting_user=staff,
                    scope=scope,
                    basket_key=basket.key,
                    payment=till.Payment(PaymentMethod.CARD),
                )
            )
        except ServiceError:  # a person past a quota or without access: the demo moves on
            Basket.objects.filter(pk=basket.pk).update(status=BasketStatus.ABANDONED)
    device = (
        Device.objects.filter(reception_point=place, status=Status.AVAILABLE)
        .exclude(grade="")
        .first()
    )
    if device is not None and len(people) > 7:
        basket = Basket.objects.create(
            session=session, beneficiary=people[7], key=uuid.uuid4(), created_by=staff
        )
        BasketItem.objects.create(basket=basket, device=device)
        try:
            made.append(
                till.sell_basket(
                    acting_user=staff,
                    scope=scope,
                    basket_key=basket.key,
                    payment=till.Payment(PaymentMethod.CASH, tendered=Decimal("200")),
                )
            )
        except ServiceError:
            Basket.objects.filter(pk=basket.pk).update(status=BasketStatus.ABANDONED)
    if place.name.startswith("Paris") and len(made) >= 2:
        refunds.void_sale(acting_user=staff, scope=scope, sale=made[0], reason="erreur de saisie")
        past = Sale.objects.filter(reception_point=place, session__status="closed").first()
        if past is not None:
            refunds.refund_lines(
                acting_user=staff,
                scope=scope,
                sale=past,
                session=session,
                line_ids=list(past.lines.order_by("id").values_list("pk", flat=True)[:1]),
                reason="carte SIM qui ne s'active pas",
            )
