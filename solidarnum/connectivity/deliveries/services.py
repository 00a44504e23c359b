"""Receiving an operator's delivery: check every row (writing nothing), then write them all.

Same shape as device batches (ADR 0018): `validate_delivery` reads every row with
django-import-export and reports what is wrong line by line; `save_delivery` writes the
delivery, its codes as "en stock" at the reception point and their first history line in bulk,
in one transaction, with one audit line. `import_delivery` is both: the check is a dry run, the
confirmation checks again and writes only when every row is right.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.common.tabular import LINE_COLUMN
from solidarnum.connectivity import permissions
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, CodeEvent, Delivery
from solidarnum.network.models import ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .resources import CodeResource

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 50
RACE_MESSAGE = gettext_lazy(
    "Un de ces numéros vient d'être enregistré par un autre import : rien n'a été importé, "
    "vérifiez le fichier."
)


@dataclass(frozen=True)
class RowIssue:
    line: int | None
    column: str
    message: str


@dataclass(frozen=True)
class PreviewRow:
    line: int
    offer: str
    serial: str
    phone_number: str
    face_value: Any
    expires_on: Any
    has_secret: bool


@dataclass
class DeliveryReport:
    total: int
    issues: list[RowIssue] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    invalid_lines: int = 0
    delivery: Delivery | None = None
    codes: list[Code] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def hidden_rows(self) -> int:
        return max(self.total - len(self.preview), 0)


def _check_allowed(scope: Scope, reception_point: ReceptionPoint) -> None:
    if not permissions.is_site_staff_of(scope, reception_point.pk):
        raise ServiceError(_("Seule l'équipe du point d'accueil reçoit ses livraisons."))


def validate_delivery(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    dataset: tablib.Dataset,
    progress: Callable[[int, int], None] | None = None,
) -> DeliveryReport:
    """Check every row of `dataset`, writing nothing. `progress(done, total)` is called a few
    times along the way (a background job records it)."""
    _check_allowed(scope, reception_point)
    resource = CodeResource(reception_point_id=reception_point.pk, progress=progress)
    result = resource.import_data(dataset, dry_run=False, use_transactions=False)
    lines: list[int] = dataset[LINE_COLUMN]
    report = DeliveryReport(total=len(dataset))
    for error in result.base_errors:
        logger.error("Delivery import failed before the rows: %s", type(error.error).__name__)
        report.issues.append(
            RowIssue(None, "", _("Le fichier n'a pas pu être traité : rien n'a été importé."))
        )
    bad: set[int] = set()
    for invalid in result.invalid_rows:
        line = lines[invalid.number - 1]
        bad.add(line)
        for key, messages in invalid.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else CodeResource.column_of(key)
            for message in messages:
                report.issues.append(RowIssue(line, column, str(message)))
    for error_row in result.error_rows:
        line = lines[error_row.number - 1]
        bad.add(line)
        for error in error_row.errors:
            # Only the kind of error: a row's values (a secret code) never reach a log.
            logger.error("Unexpected error in a delivery row: %s", type(error.error).__name__)
            report.issues.append(
                RowIssue(line, "", _("Erreur inattendue sur cette ligne : rien n'a été importé."))
            )
    report.invalid_lines = len(bad)
    report.issues.sort(key=lambda issue: (issue.line or 0, issue.column))
    if report.ok:
        report.codes = resource.valid_codes
        report.preview = [
            PreviewRow(
                line=lines[index],
                offer=code.offer.name,
                serial=code.serial,
                phone_number=str(code.phone_number or ""),
                face_value=code.face_value,
                expires_on=code.expires_on,
                has_secret=code.has_secret,
            )
            for index, code in enumerate(resource.valid_codes[:PREVIEW_ROWS])
        ]
    return report


@transaction.atomic
def save_delivery(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    file_name: str,
    report: DeliveryReport,
) -> Delivery:
    """Write a checked delivery, all rows together. Raises IntegrityError (nothing written) when
    a serial number was registered since the check."""
    _check_allowed(scope, reception_point)
    if not report.ok:
        raise ServiceError(_("Ce fichier contient des erreurs : rien n'a été importé."))
    delivery = Delivery.objects.create(
        reception_point=reception_point,
        file_name=file_name[:255],
        row_count=report.total,
        received_by=acting_user,
    )
    for code in report.codes:
        code.delivery = delivery
        code.reception_point = reception_point
    Code.objects.bulk_create(report.codes, batch_size=500)
    CodeEvent.objects.bulk_create(
        (
            CodeEvent(
                code=code,
                offer_id=code.offer_id,
                to_status=CodeStatus.IN_STOCK,
                actor=acting_user,
                reason=(_("livraison %(ref)s") % {"ref": delivery.reference})[:255],
                reception_point=reception_point,
            )
            for code in report.codes
        ),
        batch_size=500,
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=delivery, changed_fields=["codes"])
    report.delivery = delivery
    return delivery


def import_delivery(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    dataset: tablib.Dataset,
    file_name: str,
    dry_run: bool,
) -> DeliveryReport:
    """Check (dry run) or import every row of a delivery: all rows or none."""
    report = validate_delivery(
        acting_user=acting_user, scope=scope, reception_point=reception_point, dataset=dataset
    )
    if dry_run or not report.ok:
        return report
    try:
        with transaction.atomic():
            save_delivery(
                acting_user=acting_user,
                scope=scope,
                reception_point=reception_point,
                file_name=file_name,
                report=report,
            )
    except IntegrityError:
        report.delivery = None
        report.issues.append(RowIssue(None, "", str(RACE_MESSAGE)))
    return report
