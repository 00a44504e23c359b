"""Demo equipment: idempotent, every status, consistent places, histories, sales and reports.

Seeding needs the demo referrals (their beneficiaries buy the devices), which take a few
seconds, so the checks are grouped in few tests."""

import itertools
from collections import defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone
from stdnum import luhn

from solidarnum.accounts.demo import seed_users
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.equipment import lifecycle
from solidarnum.equipment.demo import FIRST_SERIAL, SERIAL_PREFIX, seed_equipment
from solidarnum.equipment.donations.report import donor_report
from solidarnum.equipment.enums import (
    KINDS_WITH_IMEI,
    SHELF_STATUSES,
    WORKSHOP_STATUSES,
    DeviceKind,
    DonationSource,
    ErasureResult,
    Grade,
    Status,
    StockCountStatus,
    TransferStatus,
)
from solidarnum.equipment.models import (
    Device,
    DeviceCheck,
    DeviceEvent,
    Donation,
    DonationItem,
    ErasureRecord,
    ImportBatch,
    Price,
    StockCount,
    StockCountScan,
    Transfer,
    TransferItem,
)
from solidarnum.equipment.selectors import price_for
from solidarnum.network.demo import seed_network
from solidarnum.referrals.demo import seed_referrals

pytestmark = pytest.mark.django_db

MODELS = [
    Device,
    DeviceEvent,
    DeviceCheck,
    Donation,
    DonationItem,
    ErasureRecord,
    ImportBatch,
    Price,
    StockCount,
    StockCountScan,
    Transfer,
    TransferItem,
    TimelineEntry,
]


@pytest.fixture
def network():
    network = seed_network()
    seed_users(network)
    return network


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_demo_is_complete_consistent_and_seeded_once(network):
    seed_referrals(network)
    first = seed_equipment(network)
    counts = _counts()
    serials = set(Device.objects.values_list("serial_number", flat=True))

    second = seed_equipment(network)
    assert _counts() == counts
    assert set(Device.objects.values_list("serial_number", flat=True)) == serials
    assert first == second

    devices = list(
        Device.objects.select_related("reception_point", "transfer", "sold_to", "reserved_for")
    )
    assert 300 <= len(devices) <= 450
    assert first["devices"] == len(devices)
    assert all(device.serial_number.startswith(SERIAL_PREFIX) for device in devices)
    assert Device.objects.filter(serial_number=FIRST_SERIAL).exists()

    # Every status and every kind, several of each status. "Donné (pack maraude)" is reached
    # through connectivity's packs, seeded by its demo (tests/connectivity/test_demo.py).
    seeded_here = set(Status.values) - {Status.GIVEN}
    statuses = {device.status for device in devices}
    assert statuses == seeded_here
    assert all(first[status] >= 3 for status in seeded_here), first
    assert {device.kind for device in devices} == set(DeviceKind.values)

    _assert_well_formed(devices)
    _assert_places(network, devices)
    _assert_histories(devices)
    _assert_erasures_and_checks(network, devices)
    _assert_sales_and_reservations(devices)
    _assert_donations_prices_and_stock_count(network)


def _assert_well_formed(devices: list[Device]) -> None:
    for device in devices:
        device.full_clean()  # field validators (IMEI, battery…) and the model constraints
        if device.kind in KINDS_WITH_IMEI:
            assert device.imei and len(device.imei) == 15 and luhn.is_valid(device.imei)
        else:
            assert device.imei is None
        if device.status not in (Status.RECEIVED, Status.AT_REFURBISHER, Status.TO_CHECK):
            assert device.grade in Grade.values
    imeis = [device.imei for device in devices if device.imei]
    assert len(imeis) == len(set(imeis))


def _assert_places(network, devices: list[Device]) -> None:
    sites = {network["paris_19"].pk, network["paris_14"].pk, network["creteil"].pk}
    for device in devices:
        # Never at a site and in a transfer at the same time.
        assert device.reception_point_id is None or device.transfer_id is None
        if device.status in WORKSHOP_STATUSES:
            assert device.reception_point_id is None, device
        if device.status in SHELF_STATUSES or device.status == Status.SOLD:
            assert device.reception_point_id in sites, device
        if device.transfer_id is not None:
            assert device.status == Status.BACK_FROM_WORKSHOP
            assert device.transfer.status != TransferStatus.RECEIVED
    at_paris_19 = [d for d in devices if d.reception_point_id == network["paris_19"].pk]
    assert len(at_paris_19) > len(devices) / 3
    assert {d.reception_point_id for d in devices if d.status in SHELF_STATUSES} == sites

    # The transfer the Paris 19e team can receive, from the demo workshop.
    open_transfer = Transfer.objects.get(status=TransferStatus.IN_TRANSIT)
    assert open_transfer.to_point == network["paris_19"]
    assert open_transfer.from_refurbisher == network["refurbisher"]
    in_transit = Device.objects.filter(transfer=open_transfer)
    assert in_transit.count() >= 2
    assert set(open_transfer.items.values_list("device", flat=True)) == set(
        in_transit.values_list("pk", flat=True)
    )
    # The demo workshop has devices ready to send, and a batch still being refurbished.
    ready = Device.objects.filter(
        refurbisher=network["refurbisher"],
        status=Status.BACK_FROM_WORKSHOP,
        reception_point=None,
        transfer=None,
    )
    assert ready.count() >= 3
    batch = ready.first().batch
    assert batch.devices.filter(status=Status.AT_REFURBISHER).exists()
    assert batch.devices.filter(status=Status.RECEIVED).exists()
    # A transfer received with a discrepancy keeps the missing device.
    discrepancy = Transfer.objects.get(status=TransferStatus.DISCREPANCY)
    assert discrepancy.discrepancy_note
    missing = discrepancy.items.get(received=False)
    assert missing.device.transfer == discrepancy
    # Every received transfer's items arrived where it went (or moved on: sold, etc.).
    for item in TransferItem.objects.filter(received=True).select_related("device", "transfer"):
        assert item.device.reception_point_id == item.transfer.to_point_id


def _assert_histories(devices: list[Device]) -> None:
    now = timezone.now()
    events: dict[int, list[DeviceEvent]] = defaultdict(list)
    for event in DeviceEvent.objects.order_by("at", "id"):
        events[event.device_id].append(event)
    for device in devices:
        history = events[device.pk]
        assert history[0].from_status == ""
        assert history[0].to_status == Status.RECEIVED
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status, device
            assert after.to_status == after.from_status or lifecycle.is_allowed(
                after.from_status, after.to_status
            ), (device, after)
        assert history[-1].to_status == device.status
        changes = [e for e in history if e.from_status != e.to_status]
        assert changes[-1].at == device.status_changed_at
        assert all(event.at < now for event in history)
        assert device.created_at == history[0].at


def _assert_erasures_and_checks(network, devices: list[Device]) -> None:
    erased = set(
        ErasureRecord.objects.filter(result=ErasureResult.SUCCESS).values_list(
            "device_id", flat=True
        )
    )
    assert ErasureRecord.objects.filter(result=ErasureResult.FAILURE).exists()
    passed_the_workshop = [d for d in devices if d.reception_point_id or d.sold_to_id]
    not_erased = [d for d in passed_the_workshop if d.pk not in erased]
    # Exactly one, on purpose: the check refuses to make it available.
    assert len(not_erased) == 1
    assert not_erased[0].status == Status.TO_CHECK
    assert not_erased[0].reception_point == network["paris_19"]
    assert any(
        d.status == Status.BACK_FROM_WORKSHOP and d.pk not in erased for d in devices
    )  # a few at the workshop without one yet

    paris_19 = network["paris_19"].pk
    to_check = [d for d in devices if d.reception_point_id == paris_19 and d.status == "to_check"]
    assert len([d for d in to_check if d.pk in erased]) >= 3
    available_kinds = {
        d.kind for d in devices if d.reception_point_id == paris_19 and d.status == "available"
    }
    assert available_kinds == set(DeviceKind.values)

    checks: dict[int, list[DeviceCheck]] = defaultdict(list)
    for check in DeviceCheck.objects.all():
        checks[check.device_id].append(check)
    for device in devices:
        if device.status in (Status.AVAILABLE, Status.RESERVED, Status.SOLD):
            assert any(c.passed for c in checks[device.pk]), device
            assert device.pk in erased
        if device.status == Status.TO_REPAIR:
            assert any(not c.passed and (c.comment or c.failed_points) for c in checks[device.pk])
        for check in checks[device.pk]:
            assert check.reception_point_id == device.reception_point_id
            assert check.performed_by is not None
    # The repaired ones: failed first, passed later.
    assert any(len(items) == 2 for items in checks.values())


def _assert_sales_and_reservations(devices: list[Device]) -> None:
    now = timezone.now()
    obtained = TimelineEntry.objects.filter(kind="equipment.device_obtained")
    for device in devices:
        if device.status in (Status.SOLD, Status.AFTER_SALES):
            assert device.sold_to is not None
            assert device.sold_to.reception_point_id == device.reception_point_id
            assert device.sold_to.created_at < device.sold_at < now
            rule = price_for(device.kind, device.grade, timezone.localdate(device.sold_at))
            assert rule is not None and device.sale_price == rule.amount
            assert obtained.filter(
                beneficiary=device.sold_to, object_id=str(device.pk), at=device.sold_at
            ).exists()
        else:
            assert device.sold_to is None and device.sold_at is None and device.sale_price is None
        if device.status == Status.RESERVED:
            person = device.reserved_for
            assert person.reception_point_id == device.reception_point_id
            assert device.reserved_until > now
            today = timezone.localdate()
            assert any(p.starts_on <= today <= p.effective_end for p in person.access_periods.all())
            assert TimelineEntry.objects.filter(
                beneficiary=person, kind="equipment.device_reserved", object_id=str(device.pk)
            ).exists()
    # The milestone "équipement obtenu" is recorded once per person.
    equipped = TimelineEntry.objects.filter(milestone=Milestone.EQUIPPED)
    per_person = defaultdict(int)
    for beneficiary_id in equipped.values_list("beneficiary_id", flat=True):
        per_person[beneficiary_id] += 1
    assert per_person and max(per_person.values()) == 1
    assert obtained.exclude(milestone="").count() >= 20


def _assert_donations_prices_and_stock_count(network) -> None:
    today = timezone.localdate()
    donations = Donation.objects.all()
    assert {d.source for d in donations} == set(DonationSource.values)
    assert donations.values("donor").distinct().count() >= 3
    assert donations.values("refurbisher").distinct().count() >= 2
    mine = donations.filter(donor=network["donor"])
    assert mine.count() >= 4
    assert mine.exclude(tax_receipt_number="").exists()
    assert min(d.donated_on for d in mine) >= today - timedelta(days=18 * 31)
    for donation in donations:
        donation.full_clean()
        delivered = defaultdict(int)
        for kind in donation.devices.values_list("kind", flat=True):
            delivered[kind] += 1
        items = {item.kind: item.expected_quantity for item in donation.items.all()}
        assert items
        assert all(items.get(kind, 0) >= n for kind, n in delivered.items())
        if delivered:
            assert donation.batches.exists()
    assert ImportBatch.objects.filter(refurbisher=network["refurbisher"]).exists()

    # The donor's report shows devices sold and people equipped.
    report = donor_report(network["donor"], today - timedelta(days=550), today)
    assert report.received > 0 and report.sold > 0 and report.available > 0
    assert report.people_equipped > 0

    # A full price grid in force today, with one past change and nothing in the future.
    for kind in DeviceKind.values:
        for grade in Grade.values:
            assert price_for(kind, grade, today) is not None
    assert not Price.objects.filter(valid_from__gt=today).exists()
    changed = [
        (kind, grade)
        for kind in DeviceKind.values
        for grade in Grade.values
        if Price.objects.filter(kind=kind, grade=grade).count() > 1
    ]
    assert len(changed) == 1

    # One closed stock count at Paris 19e: one missing, one unexpected, nothing open.
    count = StockCount.objects.get()
    assert count.status == StockCountStatus.CLOSED
    assert count.reception_point == network["paris_19"]
    assert len(count.missing) == 1 and len(count.unexpected) == 1
    assert count.scans.filter(serial=count.unexpected[0]["serial"], device=None).exists()
    assert not count.scans.filter(device_id=count.missing[0]["id"]).exists()
    assert count.scans.count() > 20


def test_without_beneficiaries_nothing_is_sold_and_everything_still_holds(network):
    summary = seed_equipment(network)

    assert summary["sold"] == summary["reserved"] == summary["after_sales"] == 0
    assert summary["available"] > 0
    assert not Device.objects.exclude(sold_to=None).exists()
    assert not TimelineEntry.objects.exists()
    assert not Device.objects.exclude(reserved_for=None).exists()
    # The last event of each device is its status.
    last = {}
    for event in DeviceEvent.objects.order_by("at", "id"):
        last[event.device_id] = event.to_status
    assert all(last[d.pk] == d.status for d in Device.objects.all())
