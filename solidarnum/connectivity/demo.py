"""Demo connectivity: the offers with their past price changes, a few thousand cards and codes in
every state at Paris 19e, Paris 14e and Créteil, the CCAS de Melun relay (attached to Créteil)
with consigned stock, its sales and a past statement validated and paid, a transfer in transit,
plan advice and two mediation cases, and packs maraude handed to a night shelter of Paris 19e
(when the equipment demo has basic phones there).

Written in bulk (the services lock and audit one code at a time, too slow for a demo seeded on
every `make run`) but following the same rules: every history line is an allowed move, secret
codes are encrypted with the configured keys, a code sold to a person is on that person's file
with its timeline entry. Idempotent: if the first demo delivery exists, nothing more is
written.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from stdnum import luhn

from solidarnum.accounts.demo import DEMO_EMAIL_DOMAIN
from solidarnum.accounts.models import User
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary, TimelineEntry
from solidarnum.network.demo import DemoNetwork

from . import crypto
from .enums import CodeStatus, MediationStatus, OfferKind, StatementStatus
from .mediation.deadlines import next_step
from .models import (
    Code,
    CodeEvent,
    CodeTransfer,
    Consignment,
    Delivery,
    MediationCase,
    MediationStep,
    Offer,
    OfferPrice,
    OutreachPack,
    PackHandover,
    PlanAdvice,
    RelaySale,
    RelayStatement,
    StockAlert,
)
from .relays.selectors import month_bounds

SEED = 12
SERIAL_PREFIX = "DEMORC"
FIRST_DELIVERY = "demo-livraison-paris_19.csv"
PRICES_SINCE = date(2025, 1, 1)
PRICE_CHANGE_ON = date(2026, 3, 1)

# name, kind, validity days, data GB, unlimited, description, quota, (before, after, market)
OFFERS = [
    (
        "Carte SIM prépayée",
        OfferKind.SIM,
        None,
        None,
        False,
        "Carte SIM avec numéro",
        1,
        ("2.00", "2.00", "10.00"),
    ),
    (
        "Recharge essentielle",
        OfferKind.TOP_UP,
        30,
        Decimal("5"),
        True,
        "Appels et SMS illimités 30 jours + 5 Go",
        2,
        ("6.00", "4.00", "10.00"),
    ),
    (
        "Carte data 8 Go",
        OfferKind.DATA,
        30,
        Decimal("8"),
        False,
        "Pour une borne wifi mobile (Web Trotter)",
        2,
        ("4.00", "2.00", "7.00"),
    ),
]
# Codes per site and offer, and how they are spread over the states (the rest in stock).
PER_OFFER = 300
SPREAD = {
    CodeStatus.SOLD: 0.30,
    CodeStatus.EXPIRED: 0.03,
    CodeStatus.DEFECTIVE: 0.02,
    CodeStatus.RESERVED: 0.01,
}


def seed_offers() -> dict[str, Offer]:
    offers = {}
    for name, kind, days, data_gb, unlimited, description, quota, prices in OFFERS:
        offer, _created = Offer.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "operator": "SFR",
                "validity_days": days,
                "data_gb": data_gb,
                "unlimited_calls_sms": unlimited,
                "description": description,
                "quota_per_30_days": quota,
            },
        )
        before, after, market = (Decimal(p) for p in prices)
        OfferPrice.objects.get_or_create(
            offer=offer,
            valid_from=PRICES_SINCE,
            defaults={"solidarity_price": before, "market_price": market},
        )
        if after != before:
            OfferPrice.objects.get_or_create(
                offer=offer,
                valid_from=PRICE_CHANGE_ON,
                defaults={"solidarity_price": after, "market_price": market},
            )
        offers[name] = offer
    return offers


@transaction.atomic
def seed_connectivity(network: DemoNetwork, *, now: datetime | None = None) -> dict[str, int]:
    offers = seed_offers()
    if not Delivery.objects.filter(file_name=FIRST_DELIVERY).exists():
        _seed_everything(network, offers, now or timezone.now())
    return summary()


def summary() -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(CodeStatus.values, 0)
    demo = Code.objects.filter(serial__startswith=SERIAL_PREFIX) | Code.objects.filter(
        delivery__file_name__startswith="demo-"
    )
    for row in demo.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    counts["codes"] = sum(counts[s] for s in CodeStatus.values)
    return counts


class _Serials:
    def __init__(self) -> None:
        self.n = 0

    def next(self, kind: str) -> str:
        self.n += 1
        if kind == OfferKind.SIM:
            base = f"89331503{self.n:010d}"
            return base + luhn.calc_check_digit(base)
        return f"{SERIAL_PREFIX}{self.n:06d}"


def _seed_everything(network: DemoNetwork, offers: dict[str, Offer], now: datetime) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate(now)
    users = {
        u.email.partition("@")[0]: u
        for u in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    sites = {
        "paris_19": (network["paris_19"], users.get("conseiller.paris19")),
        "paris_14": (network["paris_14"], users.get("conseiller.paris19")),
        "creteil": (network["creteil"], users.get("conseillere.creteil")),
    }
    people = {
        key: list(
            Beneficiary.objects.filter(
                reception_point=place, anonymised_at__isnull=True, exited_on__isnull=True
            ).order_by("pk")[:80]
        )
        for key, (place, _user) in sites.items()
    }
    serials = _Serials()
    received_at = now - timedelta(days=120)
    codes: list[Code] = []
    # The history of each code, as (status, at, reason), written after the codes.
    histories: list[list[tuple[str, datetime, str]]] = []
    deliveries = {}
    for key, (place, user) in sites.items():
        delivery = Delivery.objects.create(
            reception_point=place,
            file_name=f"demo-livraison-{key}.csv",
            row_count=PER_OFFER * len(offers),
            received_by=user,
            received_at=received_at,
        )
        deliveries[key] = delivery
        sold_to = iter(people[key])
        for offer in offers.values():
            for index in range(PER_OFFER):
                serial = serials.next(offer.kind)
                expires_on = today + timedelta(days=rng.randint(5, 400))
                roll = rng.random()
                status, cumulated = CodeStatus.IN_STOCK, 0.0
                for candidate, share in SPREAD.items():
                    cumulated += share
                    if roll < cumulated:
                        status = candidate
                        break
                history: list[tuple[str, datetime, str]] = [
                    (CodeStatus.IN_STOCK, received_at, f"livraison {delivery.reference}")
                ]
                code = Code(
                    offer=offer,
                    delivery=delivery,
                    serial=serial,
                    phone_number=f"+3376{serials.n:07d}" if offer.kind == OfferKind.SIM else "",
                    secret_token=""
                    if offer.kind == OfferKind.SIM
                    else crypto.encrypt(f"{rng.randrange(10**13, 10**14)}"),
                    face_value=None if offer.kind == OfferKind.SIM else Decimal("10.00"),
                    expires_on=expires_on,
                    status=status,
                    reception_point=place,
                )
                at = received_at + timedelta(days=rng.randint(1, 115), minutes=index)
                if status == CodeStatus.SOLD:
                    code.beneficiary = next(sold_to, None)
                    code.revealed_at = at if code.secret_token else None
                    history.append((CodeStatus.SOLD, at, ""))
                elif status == CodeStatus.EXPIRED:
                    code.expires_on = today - timedelta(days=rng.randint(1, 20))
                    history.append((CodeStatus.EXPIRED, at, "date dépassée"))
                elif status == CodeStatus.DEFECTIVE:
                    history.append((CodeStatus.DEFECTIVE, at, "code refusé par l'opérateur"))
                elif status == CodeStatus.RESERVED:
                    history.append((CodeStatus.RESERVED, now - timedelta(minutes=5), ""))
                code.status_changed_at = history[-1][1]
                codes.append(code)
                histories.append(history)
    Code.objects.bulk_create(codes, batch_size=500)
    _write_histories(codes, histories, users.get("conseiller.paris19"))
    _timeline(codes)
    _relay(network, offers, users, now, rng)
    _transfer(network, offers, users)
    _mediation(people["paris_19"], network, users, today)
    _packs(network, offers, users, now)
    StockAlert.objects.get_or_create(
        offer=offers["Recharge essentielle"],
        reception_point=network["paris_19"],
        defaults={"threshold": 250},
    )


def _write_histories(
    codes: list[Code], histories: list[list[tuple[str, datetime, str]]], actor: User | None
) -> None:
    events = []
    for code, history in zip(codes, histories, strict=True):
        previous = ""
        for status, at, reason in history:
            events.append(
                CodeEvent(
                    code=code,
                    offer_id=code.offer_id,
                    from_status=previous,
                    to_status=status,
                    at=at,
                    actor=actor,
                    reason=reason,
                    reception_point_id=code.reception_point_id,
                )
            )
            previous = status
    CodeEvent.objects.bulk_create(events, batch_size=1000)


def _timeline(codes: list[Code]) -> None:
    connected = set(
        TimelineEntry.objects.filter(milestone=Milestone.CONNECTED).values_list(
            "beneficiary_id", flat=True
        )
    )
    entries = []
    for code in codes:
        if code.beneficiary_id is None:
            continue
        milestone = "" if code.beneficiary_id in connected else Milestone.CONNECTED
        connected.add(code.beneficiary_id)
        entries.append(
            TimelineEntry(
                beneficiary_id=code.beneficiary_id,
                kind="connectivity.code_obtained",
                summary=f"{code.offer.name} obtenu",
                milestone=milestone,
                object_type="connectivity.code",
                object_id=str(code.pk),
                at=code.status_changed_at,
            )
        )
    TimelineEntry.objects.bulk_create(entries, batch_size=1000)


def _relay(
    network: DemoNetwork,
    offers: dict[str, Offer],
    users: dict[str, User],
    now: datetime,
    rng: random.Random,
) -> None:
    """Créteil consigned 80 basic recharges to the CCAS de Melun last month; the relay sold 30
    of them last month (statement validated and paid) and 8 this month."""
    relay = network["relay"]
    place = relay.reception_point
    offer = offers["Recharge essentielle"]
    this_month = month_bounds(timezone.localdate(now))[0]
    last_month = month_bounds(this_month - timedelta(days=1))[0]
    sent_at = timezone.make_aware(
        datetime.combine(last_month + timedelta(days=2), datetime.min.time())
    )
    consignment = Consignment.objects.create(
        reception_point=place,
        relay=relay,
        offer=offer,
        quantity=80,
        sent_by=users.get("conseillere.creteil"),
        sent_at=sent_at,
    )
    codes = list(
        Code.objects.filter(
            reception_point=place, offer=offer, status=CodeStatus.IN_STOCK, revealed_at__isnull=True
        ).order_by("expires_on", "id")[:80]
    )
    events = []
    for code in codes:
        code.status = CodeStatus.CONSIGNED
        code.relay = relay
        code.consignment = consignment
        code.status_changed_at = sent_at
        events.append(
            CodeEvent(
                code=code,
                offer=offer,
                from_status="in_stock",
                to_status="consigned",
                at=sent_at,
                reception_point=place,
                relay=relay,
                reason=f"dépôt {consignment.reference}",
            )
        )
    operator = users.get("relais.melun")
    names = [
        "Awa",
        "Mamadou",
        "Fatou",
        "Ionut",
        "Olena",
        "Karim",
        "Sofia",
        "Dmytro",
        "Aminata",
        "Yusuf",
    ]
    price_last = (
        OfferPrice.objects.filter(offer=offer, valid_from__lte=last_month)
        .order_by("-valid_from")
        .first()
    )
    sales_plan = [(last_month, 30), (this_month, 8)]
    index = 0
    for month, count in sales_plan:
        for n in range(count):
            code = codes[index]
            index += 1
            at = timezone.make_aware(
                datetime.combine(month + timedelta(days=3 + n % 20), datetime.min.time())
            ) + timedelta(hours=10)
            if at > now:
                at = now - timedelta(minutes=n + 1)
            assert price_last is not None
            sale = RelaySale.objects.create(
                relay=relay,
                offer=offer,
                quantity=1,
                unit_price=price_last.solidarity_price,
                total=price_last.solidarity_price,
                buyer_first_name=rng.choice(names),
                buyer_birth_year=rng.randint(1950, 2004),
                buyer_key="",
                sold_at=at,
                recorded_by=operator,
            )
            RelaySale.objects.filter(pk=sale.pk).update(buyer_key=sale.buyer_first_name.lower())
            code.status = CodeStatus.SOLD
            code.relay_sale = sale
            code.revealed_at = at
            code.status_changed_at = at
            events.append(
                CodeEvent(
                    code=code,
                    offer=offer,
                    from_status="consigned",
                    to_status="sold",
                    at=at,
                    reception_point=place,
                    relay=relay,
                    actor=operator,
                )
            )
    Code.objects.bulk_update(
        codes,
        ["status", "relay", "consignment", "relay_sale", "revealed_at", "status_changed_at"],
        batch_size=500,
    )
    CodeEvent.objects.bulk_create(events, batch_size=500)
    total = price_last.solidarity_price * 30 if price_last else Decimal("0")
    RelayStatement.objects.create(
        relay=relay,
        month=last_month,
        received=80,
        sold=30,
        returned=0,
        left=50,
        amount_due=total,
        status=StatementStatus.PAID,
        validated_by=users.get("responsable.creteil"),
        paid_amount=total,
        paid_on=this_month + timedelta(days=min(4, (timezone.localdate(now) - this_month).days)),
        payment_reference="VIR-MELUN-DEMO",
        payment_recorded_by=users.get("responsable.creteil"),
    )


def _transfer(network: DemoNetwork, offers: dict[str, Offer], users: dict[str, User]) -> None:
    """20 data cards on their way from Paris 19e to Paris 14e, to receive."""
    source, target = network["paris_19"], network["paris_14"]
    offer = offers["Carte data 8 Go"]
    transfer = CodeTransfer.objects.create(
        from_point=source, to_point=target, quantity=20, sent_by=users.get("conseiller.paris19")
    )
    codes = list(
        Code.objects.filter(
            reception_point=source, offer=offer, status=CodeStatus.IN_STOCK
        ).order_by("id")[:20]
    )
    events = []
    for code in codes:
        code.status = CodeStatus.IN_TRANSIT
        code.transfer = transfer
        events.append(
            CodeEvent(
                code=code,
                offer=offer,
                from_status="in_stock",
                to_status="in_transit",
                reception_point=source,
                reason=f"transfert {transfer.reference}",
            )
        )
    Code.objects.bulk_update(codes, ["status", "transfer"], batch_size=500)
    CodeEvent.objects.bulk_create(events)


def _mediation(
    people: list[Beneficiary], network: DemoNetwork, users: dict[str, User], today: date
) -> None:
    if len(people) < 2:
        return
    staff = users.get("conseiller.paris19")
    first, second = people[0], people[1]
    PlanAdvice.objects.create(
        beneficiary=first,
        needs="Appeler sa famille à l'étranger, internet pour les démarches",
        current_plan="Cartes prépayées au tabac",
        monthly_spend=Decimal("25.00"),
        advice="Recharge essentielle à 4 € et appels via le wifi",
        estimated_monthly_saving=Decimal("21.00"),
        recorded_by=staff,
    )
    complaint_on = today - timedelta(days=45)
    bill = MediationCase.objects.create(
        beneficiary=first,
        reception_point=network["paris_19"],
        kind="unexpected_bill",
        operator="Opérateur fictif",
        amount_disputed=Decimal("186.40"),
        status=MediationStatus.IN_PROGRESS,
        opened_on=complaint_on,
        complaint_on=complaint_on,
        opened_by=staff,
    )
    MediationStep.objects.create(
        case=bill,
        kind="written_complaint",
        done_on=complaint_on,
        note="Lettre recommandée",
        recorded_by=staff,
    )
    step = next_step(
        status=bill.status,
        opened_on=bill.opened_on,
        complaint_on=complaint_on,
        consumer_service_on=None,
        mediator_on=None,
    )
    MediationCase.objects.filter(pk=bill.pk).update(next_due_on=step.due_on if step else None)
    resolved_on = today - timedelta(days=10)
    MediationCase.objects.create(
        beneficiary=second,
        reception_point=network["paris_19"],
        kind="blocked_line",
        operator="Opérateur fictif",
        status=MediationStatus.RESOLVED,
        opened_on=resolved_on - timedelta(days=20),
        complaint_on=resolved_on - timedelta(days=20),
        closed_on=resolved_on,
        amount_recovered=Decimal("0"),
        opened_by=staff,
    )
    # The milestones the référent sees: open, then resolved; never the case's details.
    at = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    for person, kind, summary, milestone, days_ago in (
        (
            first,
            "connectivity.mediation_opened",
            "Médiation avec un opérateur ouverte",
            Milestone.MEDIATION_OPENED,
            45,
        ),
        (
            second,
            "connectivity.mediation_opened",
            "Médiation avec un opérateur ouverte",
            Milestone.MEDIATION_OPENED,
            30,
        ),
        (
            second,
            "connectivity.mediation_closed",
            "Médiation avec un opérateur résolue",
            Milestone.MEDIATION_RESOLVED,
            10,
        ),
    ):
        TimelineEntry.objects.create(
            beneficiary=person,
            kind=kind,
            summary=summary,
            milestone=milestone,
            at=at - timedelta(days=days_ago),
        )


# Packs maraude handed to the night shelter (a few basic phones stay for a live handover).
DEMO_PACKS = 3


def _packs(
    network: DemoNetwork, offers: dict[str, Offer], users: dict[str, User], now: datetime
) -> None:
    from solidarnum.equipment.enums import DeviceKind
    from solidarnum.equipment.enums import Status as DeviceStatus
    from solidarnum.equipment.models import Device, DeviceEvent
    from solidarnum.network.enums import Typology
    from solidarnum.network.models import PartnerStructure

    place = network["paris_19"]
    shelter = (
        PartnerStructure.objects.filter(
            reception_point=place, typology__in=[Typology.CHRS, Typology.CHU], is_active=True
        )
        .order_by("pk")
        .first()
    )
    phones = list(
        Device.objects.filter(
            reception_point=place, kind=DeviceKind.BASIC_PHONE, status=DeviceStatus.AVAILABLE
        ).order_by("pk")[:DEMO_PACKS]
    )
    parts = [
        list(
            Code.objects.sellable()
            .filter(reception_point=place, offer=offers[name])
            .order_by("pk")[:DEMO_PACKS]
        )
        for name in ("Carte SIM prépayée", "Recharge essentielle")
    ]
    if shelter is None or min(len(phones), *(len(codes) for codes in parts)) < DEMO_PACKS:
        return
    staff = users.get("conseiller.paris19")
    at = now - timedelta(days=12)
    handover = PackHandover.objects.create(
        reception_point=place,
        structure=shelter,
        quantity=DEMO_PACKS,
        sim_offer=offers["Carte SIM prépayée"],
        top_up_offer=offers["Recharge essentielle"],
        handed_by=staff,
        handed_at=at,
        note="Maraude du soir",
    )
    reason = f"pack maraude {handover.reference} · {shelter.name}"
    device_events = []
    for phone in phones:
        device_events.append(
            DeviceEvent(
                device=phone,
                from_status=phone.status,
                to_status=DeviceStatus.GIVEN,
                at=at,
                actor=staff,
                reason=reason,
                reception_point=place,
            )
        )
        phone.status, phone.status_changed_at = DeviceStatus.GIVEN, at
    Device.objects.bulk_update(phones, ["status", "status_changed_at"])
    DeviceEvent.objects.bulk_create(device_events)
    code_events = []
    for code in [*parts[0], *parts[1]]:
        code_events.append(
            CodeEvent(
                code=code,
                offer_id=code.offer_id,
                from_status=code.status,
                to_status=CodeStatus.GIVEN,
                at=at,
                actor=staff,
                reason=reason,
                reception_point=place,
            )
        )
        code.status, code.status_changed_at = CodeStatus.GIVEN, at
    Code.objects.bulk_update([*parts[0], *parts[1]], ["status", "status_changed_at"])
    CodeEvent.objects.bulk_create(code_events)
    OutreachPack.objects.bulk_create(
        OutreachPack(handover=handover, device=phone, sim=sim, top_up=top_up)
        for phone, sim, top_up in zip(phones, parts[0], parts[1], strict=True)
    )
