"""Demo equipment: donations, batches, a few hundred devices in every status, prices, transfers
and a closed stock count, so that the stock pages, the workbench and the donor report look alive.

What the walkthrough relies on (serials read DEMOLP0001, DEMOSP0001…: LP laptop, PC desktop,
SP smartphone, TB tablet, PH basic phone, HS hotspot; numbered in the order of
`catalogue.DONATIONS`):
- Paris 19e has devices "à contrôler" with an erasure record and one without (the check refuses
  to make it available), available devices of every kind, reservations and sales;
- the demo workshop (atelier@) has a current batch with devices "reçu", "chez le
  reconditionneur" and "retour atelier" (ready to be sent), and a transfer to Paris 19e still
  "Envoyé" that the Paris 19e team can receive;
- the demo donor (donateur@) has five donations over eighteen months, the last one announced
  and not yet received, and devices sold to demo beneficiaries for its report.

The history is written in bulk (the services lock and audit one device at a time, too slow for a
demo seeded on every `make run`), but it follows the same rules: every event is an allowed
transition, every device past the workshop but one (on purpose) has a successful erasure
record, sold and reserved devices belong to people of the same site, with their timeline
entries. No audit rows are written: nobody did these things.

Idempotent: the data is generated from a fixed seed; if the first demo device exists, only the
price grid is (re)checked. Everything else is created in one go.
"""

from __future__ import annotations

import random
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from solidarnum.accounts.demo import DEMO_EMAIL_DOMAIN
from solidarnum.accounts.models import User
from solidarnum.equipment.enums import Grade, Status
from solidarnum.equipment.models import Device, Donation, Price
from solidarnum.network.demo import DemoNetwork, fictitious_siret
from solidarnum.network.models import DonorCompany, RefurbishingPartner

from .catalogue import (
    ANNOUNCED_NOTE,
    CR,
    DONATIONS,
    FIRST_SERIAL,
    P14,
    P19,
    PRICE_CHANGE,
    PRICE_START,
    PRICES,
    SEED,
    SERIAL_PREFIX,
)
from .plan import Clock, Context, DevicePlan, load_beneficiaries, plan_donation
from .rows import write_rows

__all__ = ["FIRST_SERIAL", "SERIAL_PREFIX", "seed_equipment", "seed_prices", "summary"]


@transaction.atomic
def seed_equipment(network: DemoNetwork, *, now: datetime | None = None) -> dict[str, int]:
    """Create the demo equipment once; later runs only make sure the price grid is there."""
    seed_prices()
    if not Device.objects.filter(serial_number=FIRST_SERIAL).exists():
        _seed_everything(network, now or timezone.now())
    return summary()


def summary() -> dict[str, int]:
    """Demo devices by status, with the totals of devices and donations."""
    demo = Device.objects.filter(serial_number__startswith=SERIAL_PREFIX)
    counts: dict[str, int] = dict.fromkeys(Status.values, 0)
    for row in demo.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    counts["devices"] = sum(counts[status] for status in Status.values)
    counts["donations"] = (
        Donation.objects.filter(Q(devices__in=demo) | Q(notes=ANNOUNCED_NOTE)).distinct().count()
    )
    return counts


def seed_prices() -> None:
    """The price grid, in force since 2025 with one past change (the services refuse past
    dates on purpose, so the rows are written directly)."""
    for kind, amounts in PRICES.items():
        for grade, amount in zip(Grade.values, amounts, strict=True):
            Price.objects.get_or_create(
                kind=kind, grade=grade, valid_from=PRICE_START, defaults={"amount": amount}
            )
    change_kind, change_grade, new_amount, valid_from = PRICE_CHANGE
    Price.objects.get_or_create(
        kind=change_kind, grade=change_grade, valid_from=valid_from, defaults={"amount": new_amount}
    )


def _seed_everything(network: DemoNetwork, now: datetime) -> None:
    rng = random.Random(SEED)
    users = User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    context = Context(
        rng=rng,
        now=now,
        clock=Clock(rng, now),
        sites={P19: network["paris_19"], P14: network["paris_14"], CR: network["creteil"]},
        users={user.email.partition("@")[0]: user for user in users},
    )
    load_beneficiaries(context)
    donors = {d.siret: d for d in DonorCompany.objects.all()}
    refurbishers = {r.siret: r for r in RefurbishingPartner.objects.all()}
    plans: list[DevicePlan] = []
    for index, seed in enumerate(DONATIONS):
        donor = donors.get(fictitious_siret(seed.donor))
        refurbisher = refurbishers.get(fictitious_siret(seed.refurbisher))
        if donor is not None and refurbisher is not None:
            plans += plan_donation(context, index, seed, donor, refurbisher)
    write_rows(context, plans)
