"""Tax receipts of donations."""

from datetime import date
from decimal import Decimal

import pytest

from solidarnum.common.errors import ServiceError
from solidarnum.equipment.donations.services import record_tax_receipt
from solidarnum.equipment.models import (
    DeviceEvent,
)
from tests.equipment.factories import make_device, make_donation
from tests.referrals.factories import scope_for

# --- Tax receipts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("refurbisher_contact", True),
        ("donor_contact", False),
        ("staff_a", False),
    ],
)
def test_record_tax_receipt_permission(world, role, allowed):
    donation = make_donation(world)
    call = {
        "acting_user": world.users[role],
        "scope": scope_for(world, role),
        "donation": donation,
        "number": " RF-2026-0012 ",
        "issued_on": date(2026, 10, 1),
        "valued_amount": Decimal("1200.00"),
    }
    if allowed:
        record_tax_receipt(**call)
        donation.refresh_from_db()
        assert donation.tax_receipt_number == "RF-2026-0012"
        assert donation.valued_amount == Decimal("1200.00")
    else:
        with pytest.raises(ServiceError, match="Seul l'atelier"):
            record_tax_receipt(**call)
        donation.refresh_from_db()
        assert donation.tax_receipt_number == ""


def test_tax_receipt_refusals(world):
    donation = make_donation(world)
    scope = scope_for(world, "refurbisher_contact")
    with pytest.raises(ServiceError, match="antérieur au don"):
        record_tax_receipt(
            acting_user=scope.user,
            scope=scope,
            donation=donation,
            number="RF-1",
            issued_on=date(2026, 8, 1),
        )
    with pytest.raises(ServiceError, match="numéro du reçu"):
        record_tax_receipt(
            acting_user=scope.user,
            scope=scope,
            donation=donation,
            number="  ",
            issued_on=date(2026, 10, 1),
        )


def test_device_events_are_append_only(world):
    event = make_device(world).events.get()
    with pytest.raises(ValueError):
        event.save()
    assert DeviceEvent.objects.filter(pk=event.pk).exists()
