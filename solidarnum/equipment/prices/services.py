"""The solidarity price grid: a new price starts today or later, a past price never changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.equipment.models import Price
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction


@transaction.atomic
def set_price(
    *, acting_user: User, scope: Scope, kind: str, grade: str, amount: Decimal, valid_from: date
) -> Price:
    """A new price from a date: today or later, never rewriting what was charged before."""
    if not scope.is_national_admin:
        raise ServiceError(_("Seule l'équipe nationale fixe les prix solidaires."))
    if valid_from < timezone.localdate():
        raise ServiceError(
            _(
                "Un nouveau prix s'applique à partir d'aujourd'hui ou plus tard, "
                "jamais dans le passé."
            )
        )
    price, created = Price.objects.update_or_create(
        kind=kind,
        grade=grade,
        valid_from=valid_from,
        defaults={"amount": amount, "created_by": acting_user},
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=price,
        changed_fields=["kind", "grade", "amount", "valid_from"],
    )
    return price


@transaction.atomic
def delete_future_price(*, acting_user: User, scope: Scope, price: Price) -> None:
    if not scope.is_national_admin:
        raise ServiceError(_("Seule l'équipe nationale fixe les prix solidaires."))
    if price.valid_from <= timezone.localdate():
        raise ServiceError(_("Un prix déjà appliqué ne peut pas être supprimé."))
    record(actor=acting_user, action=AuditAction.DELETE, obj=price, changed_fields=["amount"])
    price.delete()
