"""The receipt's writes: showing the secret codes of its recharges to the buyer, once; sending
the receipt to the buyer by SMS.

The secret of a code sold at the till is printed on its receipt the first time the counter asks
for it (a POST), and never again there: afterwards only the audited "révéler" of the code's page
shows it. Reading a secret is recorded in the audit trail like connectivity's own reveal.

The SMS carries the receipt's number, the place, what was paid and saved, in the person's
language (`notifications.notify`): never a secret code, which is shown on the receipt only
(ADR 0032).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.codes.services import secret_for_receipt
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.notifications.enums import Channel
from solidarnum.notifications.models import Message
from solidarnum.notifications.notify import Recipient, notify
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.sales import permissions
from solidarnum.sales.enums import ReceiptKind
from solidarnum.sales.models import Receipt, ReceiptSeries
from solidarnum.sales.receipts import chain
from solidarnum.sales.selectors import current_codes, receipt_lines

SMS_KINDS = (ReceiptKind.SALE,)
PREFIX_PATTERN = re.compile(r"[A-Z0-9]{2,8}")


@transaction.atomic
def set_receipt_prefix(*, acting_user: User, scope: Scope, prefix: str) -> ReceiptSeries:
    """The site manager names the prefix of the site's receipt numbers (`P19-2026-000123`). The
    year's sequence goes on without a gap: only the receipts issued from now on carry the new
    prefix, and the chain holds (each receipt's hash covers the number it was issued with)."""
    place_id = scope.reception_point_id
    if not permissions.is_manager_of(scope, place_id) or place_id is None:
        raise ServiceError(
            _("Seul le responsable du point d'accueil choisit le préfixe des tickets.")
        )
    prefix = prefix.strip().upper()
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise ServiceError(
            _("Le préfixe s'écrit avec 2 à 8 lettres sans accent ou chiffres, par exemple P19.")
        )
    series = chain.series_of(place_id)  # locked: no receipt is issued meanwhile
    if series.prefix == prefix:
        return series
    if ReceiptSeries.objects.filter(prefix=prefix).exclude(pk=series.pk).exists():
        raise ServiceError(
            _("Le préfixe %(prefix)s est déjà celui d'un autre point d'accueil.")
            % {"prefix": prefix}
        )
    series.prefix = prefix
    series.save(update_fields=["prefix"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=series, changed_fields=["prefix"])
    return series


def _euros(value: object) -> str:
    return f"{value:.2f}".replace(".", ",")


@transaction.atomic
def send_receipt_by_sms(*, acting_user: User, scope: Scope, receipt: Receipt) -> Message:
    """The receipt to the buyer's phone, queued after commit and followed in the delivery log."""
    if not permissions.can_sell(scope, receipt.reception_point_id):
        raise ServiceError(_("Seule l'équipe de caisse de ce point d'accueil envoie ce ticket."))
    if receipt.kind not in SMS_KINDS:
        raise ServiceError(_("Seul un ticket de vente s'envoie par SMS."))
    person = receipt.sale.beneficiary
    if person.has_no_phone or not person.phone:
        raise ServiceError(
            _("Cette personne n'a pas de téléphone : imprimez-lui le ticket (80 mm).")
        )
    lines = receipt_lines(receipt)
    saving = sum((line.market_price - line.paid for line in lines), start=0)
    message = notify(
        recipient=Recipient.of_person(person, beneficiary_id=person.pk),
        template="sales.receipt",
        context={
            "code": receipt.number,
            "place": receipt.reception_point.name,
            "amount": _euros(receipt.amount),
            "saving": _euros(saving),
        },
        channel=Channel.SMS,
        related_object=receipt,
        reception_point_id=receipt.reception_point_id,
    )
    if message is None:  # has a phone, so notify always logs it; kept for the type checker
        raise ServiceError(_("Le SMS n'a pas pu être préparé."))
    record(actor=acting_user, action=AuditAction.EXPORT, obj=receipt)
    return message


@transaction.atomic
def reveal_secrets(*, acting_user: User, scope: Scope, receipt: Receipt) -> dict[int, str]:
    """The secrets of the sale's codes not shown yet, by sale line id; each is marked shown."""
    if not permissions.can_sell(scope, receipt.reception_point_id):
        raise ServiceError(_("Seule l'équipe de caisse de ce point d'accueil imprime ce ticket."))
    if receipt.kind != ReceiptKind.SALE:
        raise ServiceError(_("Seul le ticket de vente montre les codes secrets."))
    lines = list(receipt.sale.lines.filter(refund_line__isnull=True).select_related("code"))
    shown: dict[int, str] = {}
    for line_id, code in current_codes(lines).items():
        if code.status != CodeStatus.SOLD or not code.has_secret or code.revealed_at is not None:
            continue
        # Connectivity locks the code, marks it shown, audits the read and decrypts it.
        shown[line_id] = secret_for_receipt(acting_user=acting_user, scope=scope, code_id=code.pk)
    return shown
