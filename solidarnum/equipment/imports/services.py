"""Writes for batches ("lots"): importing a file of devices, attaching an erasure certificate.

An import is a check, then a write (ADR 0018):
- `validate_devices` reads every row of the file (django-import-export, `resources`) and
  writes nothing: the preview, and the report of what is wrong, line by line;
- `save_devices` writes the batch, its devices, their first line of history and their erasures
  with bulk INSERTs, in one transaction, with one audit line for the batch.
`import_devices` is both, for the page: the check ("Vérifier") is `dry_run=True`; the
confirmation checks the file again and, only when every row is right, writes it. Someone may
import the same serial number in between: then the check says so, or the database refuses the
write, and nothing is imported. Files above a few hundred rows go through a background job
(`jobs`), which calls the same two functions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.common.tabular import LINE_COLUMN
from solidarnum.equipment import permissions
from solidarnum.equipment.devices.services import BULK_SIZE, register_devices
from solidarnum.equipment.enums import DeviceKind, ErasureMethod, ErasureResult
from solidarnum.equipment.models import Device, Donation, ErasureRecord, ImportBatch
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .resources import DeviceResource

logger = logging.getLogger(__name__)

# The preview shows this many rows; the others are checked all the same.
PREVIEW_ROWS = 50


@dataclass(frozen=True)
class RowIssue:
    line: int | None
    column: str
    message: str


@dataclass(frozen=True)
class PreviewRow:
    line: int
    kind: str
    brand: str
    model_name: str
    serial_number: str
    imei: str
    grade: str
    battery_health: int | None
    erasure: str


@dataclass
class ImportReport:
    total: int
    issues: list[RowIssue] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    invalid_lines: int = 0
    batch: ImportBatch | None = None
    # The valid rows' devices and erasures, unsaved, for `save_devices`.
    devices: list[tuple[Device, ErasureRecord | None]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def hidden_rows(self) -> int:
        return max(self.total - len(self.preview), 0)


def _check_allowed(scope: Scope, donation: Donation) -> None:
    if not permissions.can_import_into(scope, donation):
        raise ServiceError(
            _("Vous ne pouvez importer des appareils que pour les dons de votre atelier.")
        )


# Said when the database refuses the write: a serial number or IMEI arrived in between.
RACE_MESSAGE = gettext_lazy(
    "Ce numéro de série ou cet IMEI vient d'être enregistré par un autre import : "
    "rien n'a été importé, vérifiez le fichier."
)


def validate_devices(
    *,
    acting_user: User,
    scope: Scope,
    donation: Donation,
    dataset: tablib.Dataset,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every row of `dataset` for `donation`, writing nothing. `progress(done, total)` is
    called a few times along the way."""
    _check_allowed(scope, donation)
    resource = DeviceResource(scope=scope, donation=donation, progress=progress)
    result = resource.import_data(dataset, dry_run=False, use_transactions=False)
    report = _report(result, dataset)
    if report.ok:
        report.devices = resource.valid_devices
    return report


@transaction.atomic
def save_devices(
    *,
    acting_user: User,
    scope: Scope,
    donation: Donation,
    file_name: str,
    report: ImportReport,
) -> ImportBatch:
    """Write a checked file: the batch, its devices as "reçu" with their history, their erasures
    and one audit line, in bulk and all together. Raises IntegrityError (nothing written) when
    a serial number or IMEI was registered since the check."""
    _check_allowed(scope, donation)
    if not report.ok:
        raise ServiceError(_("Ce fichier contient des erreurs : rien n'a été importé."))
    batch = ImportBatch.objects.create(
        refurbisher_id=donation.refurbisher_id,
        donation=donation,
        file_name=file_name[:255],
        row_count=report.total,
        imported_by=acting_user,
    )
    devices = [device for device, _erasure in report.devices]
    for device in devices:
        device.batch = batch
    register_devices(acting_user=acting_user, devices=devices)
    erasures = []
    for device, erasure in report.devices:
        if erasure is not None:
            erasure.device = device
            erasure.recorded_by = acting_user
            erasures.append(erasure)
    ErasureRecord.objects.bulk_create(erasures, batch_size=BULK_SIZE)
    record(actor=acting_user, action=AuditAction.CREATE, obj=batch, changed_fields=["devices"])
    report.batch = batch
    return batch


def import_devices(
    *,
    acting_user: User,
    scope: Scope,
    donation: Donation,
    dataset: tablib.Dataset,
    file_name: str,
    dry_run: bool,
) -> ImportReport:
    """Check (dry run) or import every row of `dataset` for `donation`: all rows or none."""
    report = validate_devices(
        acting_user=acting_user, scope=scope, donation=donation, dataset=dataset
    )
    if dry_run or not report.ok:
        return report
    try:
        with transaction.atomic():  # the devices and the batch's audit row, or nothing
            save_devices(
                acting_user=acting_user,
                scope=scope,
                donation=donation,
                file_name=file_name,
                report=report,
            )
    except IntegrityError:
        report.batch = None
        report.issues.append(RowIssue(None, "", str(RACE_MESSAGE)))
    return report


def _report(result: Any, dataset: tablib.Dataset) -> ImportReport:
    lines: list[int] = dataset[LINE_COLUMN]
    report = ImportReport(total=len(dataset))
    for error in result.base_errors:
        logger.error("Device import failed before the rows", exc_info=error.error)
        report.issues.append(
            RowIssue(None, "", _("Le fichier n'a pas pu être traité : rien n'a été importé."))
        )
    bad_lines: set[int] = set()
    for invalid in result.invalid_rows:
        line = lines[invalid.number - 1]
        bad_lines.add(line)
        for key, messages in invalid.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else DeviceResource.column_of(key)
            for message in messages:
                report.issues.append(RowIssue(line, column, str(message)))
    for error_row in result.error_rows:
        line = lines[error_row.number - 1]
        bad_lines.add(line)
        for error in error_row.errors:
            report.issues.append(RowIssue(line, "", _row_error_message(error.error)))
    report.invalid_lines = len(bad_lines)
    report.issues.sort(key=lambda issue: (issue.line or 0, issue.column))
    if report.ok:
        report.preview = [
            _preview(row.instance, lines[index])
            for index, row in enumerate(result.rows[:PREVIEW_ROWS])
        ]
    return report


def _row_error_message(error: BaseException) -> str:
    if isinstance(error, ServiceError):
        return str(error)
    if isinstance(error, IntegrityError):
        return str(RACE_MESSAGE)
    logger.error("Unexpected error in a device import row", exc_info=error)
    return _("Erreur inattendue sur cette ligne : rien n'a été importé.")


def _preview(device: Any, line: int) -> PreviewRow:
    erasure = ""
    if device.erasure_method:
        method = ErasureMethod(device.erasure_method).label
        erasure = f"{method} · {ErasureResult(device.erasure_result).label}"
    return PreviewRow(
        line=line,
        kind=str(DeviceKind(device.kind).label),
        brand=device.brand,
        model_name=device.model_name,
        serial_number=device.serial_number,
        imei=device.imei or "",
        grade=device.grade,
        battery_health=device.battery_health,
        erasure=erasure,
    )


@transaction.atomic
def attach_certificate(
    *, acting_user: User, scope: Scope, batch: ImportBatch, certificate: File[bytes]
) -> int:
    """One certificate for every erasure of the batch that has none yet. Returns how many."""
    if not (
        scope.is_national_admin
        or (scope.is_refurbisher_contact and scope.refurbisher_id == batch.refurbisher_id)
    ):
        raise ServiceError(_("Seul l'atelier du lot peut joindre un certificat."))
    waiting = list(
        ErasureRecord.objects.select_for_update()
        .filter(device__batch=batch, certificate="")
        .select_related("device")
        .order_by("pk")
    )
    if not waiting:
        raise ServiceError(
            _(
                "Aucun effacement de ce lot n'attend de certificat : tous en ont déjà un, ou "
                "aucun effacement n'est enregistré."
            )
        )
    first = waiting[0]
    # The file is stored once; the other erasure records point to the same file.
    first.certificate.save(certificate.name or "certificat.pdf", certificate, save=False)
    first.save(update_fields=["certificate"])
    ErasureRecord.objects.filter(pk__in=[e.pk for e in waiting[1:]]).update(
        certificate=first.certificate.name
    )
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=batch,
        changed_fields=["erasure_certificate"],
    )
    return len(waiting)
