"""Equipment background tasks: reservations that run out, import files never confirmed."""

import os
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from solidarnum.equipment.enums import Status
from solidarnum.equipment.tasks import PENDING_IMPORT_FOLDER, purge_stale_import_files
from tests.beneficiaries import make_beneficiary

from .factories import make_device


def test_the_command_puts_expired_reservations_back_on_sale(world, capsys):
    person = make_beneficiary(world)
    device = make_device(
        world,
        status=Status.RESERVED,
        reserved_for=person,
        reserved_until=timezone.now() - timedelta(minutes=1),
    )
    still_held = make_device(
        world,
        status=Status.RESERVED,
        reserved_for=person,
        reserved_until=timezone.now() + timedelta(days=1),
    )
    call_command("expire_device_reservations")
    device.refresh_from_db()
    still_held.refresh_from_db()
    assert device.status == Status.AVAILABLE and device.reserved_for is None
    assert still_held.status == Status.RESERVED
    assert "1 réservation expirée." in capsys.readouterr().out


def test_stale_import_files_are_removed_and_recent_ones_kept():
    old = default_storage.save(f"{PENDING_IMPORT_FOLDER}/old-upload", ContentFile(b"a;b"))
    recent = default_storage.save(f"{PENDING_IMPORT_FOLDER}/recent-upload", ContentFile(b"a;b"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    try:
        assert purge_stale_import_files() >= 1
        assert not default_storage.exists(old)
        assert default_storage.exists(recent)
    finally:
        default_storage.delete(recent)
