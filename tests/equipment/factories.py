"""Builders for equipment tests: donations, devices in any status and place, erasures, prices."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from solidarnum.equipment.enums import (
    DeviceKind,
    DonationSource,
    ErasureMethod,
    ErasureResult,
    Status,
)
from solidarnum.equipment.models import (
    Device,
    DeviceEvent,
    Donation,
    DonationItem,
    ErasureRecord,
    Price,
)

_serials = itertools.count(1)

# Valid IMEIs (Luhn digit correct).
VALID_IMEIS = ["490154203237518", "356938035643809", "352099001761481", "354875094900781"]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_donation(world: Any, donor: Any = None, **extra: Any) -> Donation:
    defaults: dict[str, Any] = {
        "donor": donor or world.donor,
        "refurbisher": world.refurbisher,
        "donated_on": date(2026, 9, 1),
        "source": DonationSource.COLLECTION_PLATFORM,
        "pickup_place": "Siège, 3 avenue de France, Paris",
    }
    defaults.update(extra)
    donation = Donation.objects.create(**defaults)
    DonationItem.objects.create(donation=donation, kind=DeviceKind.LAPTOP, expected_quantity=10)
    return donation


def make_device(
    world: Any,
    *,
    status: Status = Status.AVAILABLE,
    site: Any = "a",
    donation: Donation | None = None,
    kind: DeviceKind = DeviceKind.LAPTOP,
    grade: str = "B",
    erased: bool = True,
    **extra: Any,
) -> Device:
    """A device in `status`. `site` "a"/"b" puts it on a site's shelves; None leaves it at the
    workshop. Its history holds one event reaching that status."""
    donation = donation or make_donation(world)
    if site == "a":
        site = world.site_a
    elif site == "b":
        site = world.site_b
    n = next(_serials)
    fields: dict[str, Any] = {
        "kind": kind,
        "brand": "Lenovo",
        "model_name": "ThinkPad T480",
        "serial_number": f"SN{n:08d}",
        "processor": "Intel Core i5-8350U",
        "ram_gb": 8,
        "storage_gb": 256,
        "screen_inches": Decimal("14.0"),
        "operating_system": "Ubuntu 24.04",
        "grade": grade,
        "battery_health": 85,
        "donation": donation,
        "refurbisher": donation.refurbisher,
        "status": status,
        "reception_point": site,
    }
    fields.update(extra)
    device = Device.objects.create(**fields)
    DeviceEvent.objects.create(device=device, from_status="", to_status=status)
    if erased:
        ErasureRecord.objects.create(
            device=device,
            method=ErasureMethod.OVERWRITE,
            tool="Blancco Drive Eraser",
            performed_on=date(2026, 9, 15),
            operator="Atelier Exemple",
            result=ErasureResult.SUCCESS,
        )
    return device


def make_prices(valid_from: date | None = None) -> None:
    """A full grid in force from `valid_from` (default: a year ago)."""
    valid_from = valid_from or (timezone.localdate().replace(day=1, month=1, year=2025))
    base = {
        DeviceKind.LAPTOP: 90,
        DeviceKind.DESKTOP: 60,
        DeviceKind.SMARTPHONE: 40,
        DeviceKind.TABLET: 50,
        DeviceKind.BASIC_PHONE: 10,
        DeviceKind.HOTSPOT: 20,
    }
    for kind, amount in base.items():
        for grade, delta in (("A", 20), ("B", 0), ("C", -10)):
            Price.objects.create(
                kind=kind, grade=grade, amount=Decimal(amount + delta), valid_from=valid_from
            )
