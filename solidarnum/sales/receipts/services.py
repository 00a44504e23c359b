"""The receipt's one write: showing the secret codes of its recharges to the buyer, once.

The secret of a code sold at the till is printed on its receipt the first time the counter asks
for it (a POST), and never again there: afterwards only the audited "révéler" of the code's page
shows it. Reading a secret is recorded in the audit trail like connectivity's own reveal.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import crypto
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.sales import permissions
from solidarnum.sales.enums import ReceiptKind
from solidarnum.sales.models import Receipt
from solidarnum.sales.selectors import current_codes


@transaction.atomic
def reveal_secrets(*, acting_user: User, scope: Scope, receipt: Receipt) -> dict[int, str]:
    """The secrets of the sale's codes not shown yet, by sale line id; each is marked shown."""
    if not permissions.can_sell(scope, receipt.reception_point_id):
        raise ServiceError(_("Seule l'équipe de caisse de ce point d'accueil imprime ce ticket."))
    if receipt.kind != ReceiptKind.SALE:
        raise ServiceError(_("Seul le ticket de vente montre les codes secrets."))
    lines = list(receipt.sale.lines.filter(refund_line__isnull=True).select_related("code"))
    codes = current_codes(lines)
    locked = {
        code.pk: code
        for code in Code.objects.select_for_update().filter(pk__in=[c.pk for c in codes.values()])
    }
    shown: dict[int, str] = {}
    for line_id, code in codes.items():
        code = locked[code.pk]
        if code.status != CodeStatus.SOLD or not code.has_secret or code.revealed_at is not None:
            continue
        code.revealed_at = timezone.now()
        code.save(update_fields=["revealed_at"])
        record(
            actor=acting_user, action=AuditAction.VIEW, obj=code, changed_fields=["secret_token"]
        )
        shown[line_id] = crypto.decrypt(code.secret_token)
    return shown
