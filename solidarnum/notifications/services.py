"""What staff do about a contact that messages could not reach."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction


@transaction.atomic
def correct_phone(*, acting_user: User, beneficiary: Beneficiary, phone: Any) -> Beneficiary:
    """The person's new number, checked with them: the warning about the old one goes (it was
    about that number), its history stays in the delivery log."""
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if beneficiary.anonymised_at or beneficiary.merged_into_id:
        raise ServiceError(_("Ce dossier ne peut plus être modifié."))
    if beneficiary.phone == phone and not beneficiary.has_no_phone:
        raise ServiceError(_("C'est déjà le numéro du dossier : indiquez le nouveau numéro."))
    beneficiary.phone = phone
    beneficiary.has_no_phone = False
    beneficiary.save(update_fields=["phone", "has_no_phone", "updated_at", "search_name"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=beneficiary,
        changed_fields=["phone", "has_no_phone"],
    )
    return beneficiary
