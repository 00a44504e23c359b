"""Equipment background tasks: reservations that run out, import files never confirmed."""

import os
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from solidarnum.common.jobs.purge import PENDING_IMPORT_FOLDER
from solidarnum.common.tasks import purge_stale_import_files
from solidarnum.equipment.enums import Status
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


def test_stale_import_files_are_removed_and_recent_ones_kept(db):
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


def test_jobs_left_unconfirmed_or_unfinished_expire_and_their_files_go(world):
    from import_export.tmp_storages import MediaStorage

    from solidarnum.accounts.models import Membership
    from solidarnum.equipment.enums import ImportJobState, ImportJobStep
    from solidarnum.equipment.imports import jobs as import_jobs
    from solidarnum.equipment.models import ImportJob

    from .factories import make_donation

    donation = make_donation(world)
    user = world.users["refurbisher_contact"]

    def job(state: str, *, hours_ago: int) -> ImportJob:
        storage = MediaStorage()
        storage.save(b"type;marque")
        made = ImportJob.objects.create(
            step=ImportJobStep.CHECK,
            state=state,
            donation=donation,
            refurbisher=world.refurbisher,
            created_by=user,
            membership=Membership.objects.get(user=user),
            file_name="lot.csv",
            storage_name=storage.name,
            total_rows=400,
        )
        ImportJob.objects.filter(pk=made.pk).update(
            updated_at=timezone.now() - timedelta(hours=hours_ago)
        )
        path = default_storage.path(storage.get_full_path())
        old = time.time() - hours_ago * 3600
        os.utime(path, (old, old))
        return made

    unconfirmed = job(ImportJobState.CHECKED, hours_ago=30)
    stuck = job(ImportJobState.RUNNING, hours_ago=30)
    # Its file is old (checked yesterday morning) but the job was confirmed an hour ago.
    under_way = job(ImportJobState.QUEUED, hours_ago=1)
    os.utime(default_storage.path(MediaStorage(name=under_way.storage_name).get_full_path()),
             (time.time() - 30 * 3600,) * 2)  # fmt: skip

    purge_stale_import_files()

    for ended in (unconfirmed, stuck):
        ended.refresh_from_db()
        assert ended.storage_name == ""
    assert unconfirmed.state == ImportJobState.EXPIRED
    assert unconfirmed.error_message == str(import_jobs.NOT_CONFIRMED)
    assert stuck.state == ImportJobState.FAILED
    assert stuck.error_message == str(import_jobs.INTERRUPTED)
    under_way.refresh_from_db()
    assert under_way.state == ImportJobState.QUEUED
    assert MediaStorage(name=under_way.storage_name).read() == b"type;marque"
    MediaStorage(name=under_way.storage_name).remove()
