"""Writes for batches ("lots"): importing a file of devices, attaching an erasure certificate.

`import_devices` runs the whole file in one transaction, for the preview as for real: the
preview is the same import, rolled back, so what the preview accepts the confirmation accepts
too (unless someone imported the same serial number in between: then nothing is imported and
the report says so). A single bad row rolls back every row, the batch and its audit line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.equipment import permissions
from solidarnum.equipment.enums import DeviceKind, ErasureMethod, ErasureResult
from solidarnum.equipment.models import Donation, ErasureRecord, ImportBatch
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .files import LINE_COLUMN
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

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def hidden_rows(self) -> int:
        return max(self.total - len(self.preview), 0)


class _RollBack(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__()
        self.report = report


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
    if not permissions.can_import_into(scope, donation):
        raise ServiceError(
            _("Vous ne pouvez importer des appareils que pour les dons de votre atelier.")
        )
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                refurbisher_id=donation.refurbisher_id,
                donation=donation,
                file_name=file_name[:255],
                row_count=len(dataset),
                imported_by=acting_user,
            )
            resource = DeviceResource(acting_user=acting_user, donation=donation, batch=batch)
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                use_transactions=True,
                rollback_on_validation_errors=True,
            )
            report = _report(result, dataset)
            if dry_run or not report.ok:
                raise _RollBack(report)
            record(
                actor=acting_user, action=AuditAction.CREATE, obj=batch, changed_fields=["devices"]
            )
            report.batch = batch
            return report
    except _RollBack as rollback:
        return rollback.report


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
        return _(
            "Ce numéro de série ou cet IMEI vient d'être enregistré par un autre import : "
            "rien n'a été importé, vérifiez le fichier."
        )
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
