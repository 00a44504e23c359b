"""The life of each demo device, planned in memory: its steps from "reçu" to its status, its
transfer, the person who reserved or bought it. Donations and batches are created on the way
(the devices refer to them); everything else is written by `rows`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import luhn

from solidarnum.accounts.models import User
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary, TimelineEntry
from solidarnum.equipment.checks.services import applicable_points
from solidarnum.equipment.enums import CheckPoint, DeviceKind, Grade, Status, TransferStatus
from solidarnum.equipment.models import Device, Donation, DonationItem, ImportBatch, Transfer
from solidarnum.network.models import DonorCompany, ReceptionPoint, RefurbishingPartner

from .catalogue import (
    AFTER_SALES_REASONS,
    ANNOUNCED_NOTE,
    CATALOGUE,
    CHECKERS,
    CR,
    FAILURES,
    HORIZON,
    KIND_CODES,
    LOST,
    OPERATORS,
    P19,
    SECONDE_VIE,
    SERIAL_PREFIX,
    SITE_REASONS,
    STAFF,
    TRANSIT,
    UNIT_VALUES,
    WORKSHOP,
    WORKSHOP_REASONS,
    DonationSeed,
    Group,
    K,
    S,
)


@dataclass
class Step:
    to: Status
    at: datetime
    reason: str = ""
    actor: User | None = None
    on_site: bool = False  # the event happens at the device's reception point


@dataclass
class Wave:
    """One transfer from a workshop to a site."""

    site_key: str
    sent_at: datetime
    received_at: datetime | None
    receiver: User | None
    status: TransferStatus = TransferStatus.RECEIVED
    plans: list[DevicePlan] = field(default_factory=list)
    transfer: Transfer | None = None


@dataclass
class DevicePlan:
    device: Device
    group: Group
    steps: list[Step]
    workshop_actor: User | None
    operator: str
    site: ReceptionPoint | None = None
    wave: Wave | None = None
    failure: tuple[CheckPoint, str, int | None] | None = None  # point, comment, battery read
    buyer: Beneficiary | None = None


class Clock:
    """Moments in the past, during opening hours: each step after the previous one."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.limit = now - timedelta(minutes=30)

    def after(self, moment: datetime, low: float, high: float) -> datetime:
        candidate = moment + timedelta(days=self.rng.uniform(low, high))
        return self.office(min(candidate, self.limit), not_before=moment)

    def office(self, moment: datetime, *, not_before: datetime) -> datetime:
        """`moment` moved into opening hours (9:00-18:00, not on Sunday) if that keeps it
        after `not_before` and in the past; otherwise as it is, just after `not_before`."""
        local = timezone.localtime(moment)
        if not 9 <= local.hour < 18:
            local = local.replace(hour=self.rng.randint(9, 17), minute=self.rng.randint(0, 59))
        if local.weekday() == 6:
            local += timedelta(days=1)
        if local <= not_before:
            local += timedelta(days=1)
        if not_before < local <= self.limit:
            return local
        return max(min(moment, self.limit), not_before + timedelta(minutes=1))


@dataclass
class Context:
    rng: random.Random
    now: datetime
    clock: Clock
    sites: dict[str, ReceptionPoint]
    users: dict[str, User]
    candidates: dict[int, list[Beneficiary]] = field(default_factory=dict)  # per site
    with_access: set[int] = field(default_factory=set)  # people with a current access period
    taken: set[int] = field(default_factory=set)
    numbers: dict[str, int] = field(default_factory=dict)  # last serial number per kind code
    waves: dict[tuple[int, str, str], Wave] = field(default_factory=dict)

    def user(self, local_part: str) -> User | None:
        return self.users.get(local_part)

    def pick(self, accounts: dict[str, tuple[str, ...]], site_key: str) -> User | None:
        return self.user(self.rng.choice(accounts[site_key]))


def load_beneficiaries(context: Context) -> None:
    """People of the three demo sites, those not yet equipped first (oldest file first)."""
    today = timezone.localdate(context.now)
    people = (
        Beneficiary.objects.current()
        .filter(
            reception_point__in=list(context.sites.values()),
            anonymised_at__isnull=True,
            exited_on__isnull=True,
            created_at__lt=context.now,
        )
        .annotate(
            has_equipment_milestone=Exists(
                TimelineEntry.objects.filter(
                    beneficiary=OuterRef("pk"), milestone=Milestone.EQUIPPED
                )
            )
        )
        .prefetch_related("access_periods")
        .order_by("has_equipment_milestone", "pk")
    )
    for person in people:
        context.candidates.setdefault(person.reception_point_id, []).append(person)
        if any(p.starts_on <= today <= p.effective_end for p in person.access_periods.all()):
            context.with_access.add(person.pk)


# --- One donation -----------------------------------------------------------------------------


def plan_donation(
    context: Context,
    index: int,
    seed: DonationSeed,
    donor: DonorCompany,
    refurbisher: RefurbishingPartner,
) -> list[DevicePlan]:
    rng, now = context.rng, context.now
    donated_on = timezone.localdate(now) - timedelta(days=seed.days_ago)
    donation = Donation.objects.create(
        donor=donor,
        refurbisher=refurbisher,
        donated_on=donated_on,
        source=seed.source,
        pickup_place=seed.pickup_place,
        notes="" if seed.groups else ANNOUNCED_NOTE,
        created_by=context.user("donateur" if seed.donor == HORIZON else "admin"),
    )
    declared_at = min(at_hour(donated_on - timedelta(days=3), 11), now)
    Donation.objects.filter(pk=donation.pk).update(created_at=declared_at, updated_at=declared_at)
    announced: dict[str, int] = dict(seed.announced)
    for group in seed.groups:
        announced[group.kind] = announced.get(group.kind, 0) + group.count
    DonationItem.objects.bulk_create(
        DonationItem(
            donation=donation,
            kind=kind,
            # Donors often announce a little more than what is finally collected.
            expected_quantity=n + (rng.choice([0, 0, 1, 2]) if seed.groups else 0),
        )
        for kind, n in announced.items()
    )
    if not seed.groups:
        return []
    workshop_actor = context.user("atelier") if seed.refurbisher == SECONDE_VIE else None
    imported_at = at_hour(donated_on + timedelta(days=rng.randint(7, 12)), 9)
    batch = ImportBatch.objects.create(
        refurbisher=refurbisher,
        donation=donation,
        file_name=f"appareils-{imported_at:%Y-%m-%d}.xlsx",
        row_count=sum(group.count for group in seed.groups),
        imported_by=workshop_actor,
        imported_at=imported_at,
    )
    if seed.tax_receipt:
        issued_on = donated_on + timedelta(days=rng.randint(50, 80))
        Donation.objects.filter(pk=donation.pk).update(
            tax_receipt_number=f"RF-{issued_on.year}-{donation.pk:04d}",
            tax_receipt_date=issued_on,
            valued_amount=Decimal(sum(UNIT_VALUES[g.kind] * g.count for g in seed.groups)),
        )
    plans = []
    for group in seed.groups:
        for _n in range(group.count):
            plan = _plan_device(context, group, donation, batch, workshop_actor)
            plan.operator = OPERATORS[seed.refurbisher]
            _route(context, plan, index)
            plans.append(plan)
    return plans


def at_hour(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _plan_device(
    context: Context,
    group: Group,
    donation: Donation,
    batch: ImportBatch,
    workshop_actor: User | None,
) -> DevicePlan:
    """The device and its steps at the workshop."""
    rng, clock = context.rng, context.clock
    code = KIND_CODES[DeviceKind(group.kind)]
    number = context.numbers[code] = context.numbers.get(code, 0) + 1
    model = rng.choice(CATALOGUE[group.kind])
    is_graded = group.status not in (S.RECEIVED, S.AT_REFURBISHER)
    device = Device(
        kind=group.kind,
        brand=model.brand,
        model_name=model.name,
        serial_number=f"{SERIAL_PREFIX}{code}{number:04d}",
        imei=_imei(model.tac, number) if model.tac else None,
        processor=model.processor,
        ram_gb=model.ram_gb,
        storage_gb=model.storage_gb,
        screen_inches=Decimal(model.screen) if model.screen else None,
        operating_system=model.system,
        grade=rng.choices(Grade.values, [25, 50, 25])[0] if is_graded else "",
        battery_health=None if group.kind == K.DESKTOP else rng.randint(72, 98),
        donation=donation,
        batch=batch,
        refurbisher_id=donation.refurbisher_id,
    )
    received = Step(
        S.RECEIVED,
        batch.imported_at,
        _("Enregistré par l'atelier (don %(ref)s)") % {"ref": donation.reference},
        workshop_actor,
    )
    steps = [received]
    plan = DevicePlan(device, group, steps, workshop_actor, operator="")
    if group.status == S.RECEIVED:
        return plan
    steps.append(Step(S.AT_REFURBISHER, clock.after(received.at, 1, 3), "", workshop_actor))
    if group.status in (S.SPARE_PARTS, S.RECYCLED) and group.place == WORKSHOP:
        moment = clock.after(steps[-1].at, 4, 15)
        steps.append(Step(group.status, moment, rng.choice(WORKSHOP_REASONS), workshop_actor))
    elif group.status != S.AT_REFURBISHER:
        moment = clock.after(steps[-1].at, 3, 12)
        steps.append(Step(S.BACK_FROM_WORKSHOP, moment, "", workshop_actor))
    return plan


def _imei(tac: str, number: int) -> str:
    body = f"{tac}{number:06d}"
    return body + luhn.calc_check_digit(body)


def _route(context: Context, plan: DevicePlan, index: int) -> None:
    """Put the device in its transfer (if it left the workshop), then on to its status."""
    group, now = plan.group, context.now
    if group.place == WORKSHOP:
        return
    if group.place == TRANSIT:
        key, sent, status = (
            (index, P19, "open"),
            at_hour(timezone.localdate(now) - timedelta(days=1), 15),
            TransferStatus.IN_TRANSIT,
        )
    elif group.place == LOST or group.status == S.TO_CHECK:
        # Checks are done within days: what is still to check arrived recently.
        destination = CR if group.place == LOST else group.place
        key, status = (index, destination, "recent"), TransferStatus.RECEIVED
        sent = at_hour(timezone.localdate(now) - timedelta(days=6 + index % 3), 10)
    else:
        key, status = (index, group.place, "main"), TransferStatus.RECEIVED
        sent = plan.steps[0].at + timedelta(days=18, hours=index % 5)
    if key not in context.waves:
        received = None if status == TransferStatus.IN_TRANSIT else sent + timedelta(days=2)
        receiver = None if received is None else context.pick(STAFF, key[1])
        context.waves[key] = Wave(key[1], sent, received, receiver, status)
    wave = plan.wave = context.waves[key]
    wave.plans.append(plan)
    if group.place == LOST:
        wave.status = TransferStatus.DISCREPANCY
    if group.place in (TRANSIT, LOST):
        return
    assert wave.received_at is not None
    plan.site = context.sites[group.place]
    plan.steps.append(Step(S.TO_CHECK, wave.received_at, "", wave.receiver, on_site=True))
    _site_steps(context, plan)


def _site_steps(context: Context, plan: DevicePlan) -> None:
    """From "à contrôler" at the site to the planned status."""
    rng, clock, group, steps = context.rng, context.clock, plan.group, plan.steps
    target, site_key = group.status, group.place

    def add(status: Status, low: float, high: float, reason: str = "", *, check: bool) -> None:
        actor = context.pick(CHECKERS if check else STAFF, site_key)
        steps.append(Step(status, clock.after(steps[-1].at, low, high), reason, actor, True))

    if target == S.TO_CHECK:
        if not group.erased or rng.random() < 0.2:
            plan.device.grade = ""  # the volunteer grades it at the check
        return
    if target in (S.TO_REPAIR, S.SPARE_PARTS) or group.repaired:
        plan.failure = _failure(plan.device, rng, keeps_battery=not group.repaired)
        add(S.TO_REPAIR, 1, 8, check=True)
        if target == S.TO_REPAIR:
            return
        if target == S.SPARE_PARTS:
            add(S.SPARE_PARTS, 5, 30, rng.choice(SITE_REASONS), check=False)
            return
        add(S.TO_CHECK, 3, 20, _("Réparé, à contrôler de nouveau"), check=False)
    if target == S.RECYCLED:
        add(S.RECYCLED, 2, 20, rng.choice(SITE_REASONS), check=False)
        return
    add(S.AVAILABLE, 1, 10, check=True)
    if target in (S.SOLD, S.AFTER_SALES, S.RESERVED):
        _sale_steps(context, plan)


def _failure(
    device: Device, rng: random.Random, *, keeps_battery: bool
) -> tuple[CheckPoint, str, int | None]:
    points = applicable_points(device.kind)
    if CheckPoint.BATTERY in points and rng.random() < 0.4:
        measured = rng.randint(52, 68)
        if keeps_battery:  # otherwise the battery was replaced before the second check
            device.battery_health = measured
        return CheckPoint.BATTERY, "", measured
    point, comment = rng.choice([f for f in FAILURES if f[0] in points])
    return point, comment, device.battery_health


def _sale_steps(context: Context, plan: DevicePlan) -> None:
    """Reserve (and sell) the device to a person of its site, or leave it available."""
    rng, now, group = context.rng, context.now, plan.group
    available_at = plan.steps[-1].at
    assert plan.site is not None
    staff = context.pick(STAFF, group.place)
    if group.status == S.RESERVED:
        moment = max(now - timedelta(days=rng.uniform(0.2, 3)), available_at)
        reserved_at = context.clock.office(moment, not_before=available_at)
        plan.buyer = _buyer(context, plan.site.pk, reserved_at, needs_access=True)
        if plan.buyer is not None:
            plan.steps.append(Step(S.RESERVED, reserved_at, "", staff, on_site=True))
        return
    latest = now - timedelta(days=40 if group.status == S.AFTER_SALES else 2)
    if available_at + timedelta(days=1) > latest:
        return
    plan.buyer = buyer = _buyer(context, plan.site.pk, latest - timedelta(days=1))
    if buyer is None:
        return
    earliest = max(available_at, buyer.created_at) + timedelta(days=1)
    sold_at = context.clock.office(
        earliest + (latest - earliest) * rng.random(), not_before=earliest
    )
    moment = max(sold_at - timedelta(days=rng.uniform(0.5, 4)), earliest - timedelta(hours=12))
    reserved_at = context.clock.office(moment, not_before=earliest - timedelta(hours=23))
    if reserved_at >= sold_at:
        reserved_at = sold_at - timedelta(hours=1)
    plan.steps.append(Step(S.RESERVED, reserved_at, "", staff, on_site=True))
    plan.steps.append(Step(S.SOLD, sold_at, _("Vendu"), staff, on_site=True))
    if group.status == S.AFTER_SALES:
        moment = context.clock.after(sold_at, 10, 35)
        reason = rng.choice(AFTER_SALES_REASONS)
        plan.steps.append(Step(S.AFTER_SALES, moment, reason, staff, on_site=True))


def _buyer(
    context: Context, site_id: int, followed_by: datetime, *, needs_access: bool = False
) -> Beneficiary | None:
    """The next person of the site whose file was open at `followed_by`."""
    for person in context.candidates.get(site_id, []):
        if person.pk in context.taken or person.created_at > followed_by:
            continue
        if needs_access and person.pk not in context.with_access:
            continue
        context.taken.add(person.pk)
        return person
    return None
