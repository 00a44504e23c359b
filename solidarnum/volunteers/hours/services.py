"""Hours a volunteer declares, and the site manager's decision on them."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.volunteers.enums import HoursCategory, HoursStatus
from solidarnum.volunteers.models import DeclaredHours
from solidarnum.volunteers.permissions import is_manager_of

MAX_MINUTES = 24 * 60


@transaction.atomic
def declare_hours(
    *,
    acting_user: User,
    reception_point_id: int,
    worked_on: date,
    minutes: int,
    category: str,
    comment: str = "",
) -> DeclaredHours:
    if not Membership.objects.filter(
        user=acting_user, role=Role.VOLUNTEER, reception_point_id=reception_point_id
    ).exists():
        raise ServiceError(_("Vous n'êtes pas bénévole à ce point d'accueil."))
    if worked_on > timezone.localdate():
        raise ServiceError(_("Des heures ne se déclarent pas dans le futur."))
    if minutes <= 0:
        raise ServiceError(_("La durée doit être positive."))
    if minutes > MAX_MINUTES:
        raise ServiceError(_("Une journée compte au plus 24 heures."))
    if category not in HoursCategory.values:
        raise ServiceError(_("Choisissez une catégorie."))
    hours = DeclaredHours.objects.create(
        user=acting_user,
        reception_point_id=reception_point_id,
        worked_on=worked_on,
        minutes=minutes,
        category=category,
        comment=comment[:200],
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=hours,
        changed_fields=["worked_on", "minutes", "category"],
    )
    return hours


@transaction.atomic
def decide_hours(
    *, acting_user: User, scope: Scope, hours: DeclaredHours, validate: bool
) -> DeclaredHours:
    """The site manager validates or refuses declared hours, once."""
    hours = DeclaredHours.objects.select_for_update().get(pk=hours.pk)
    if not is_manager_of(scope, hours.reception_point_id):
        raise ServiceError(_("Seul le responsable du point d'accueil valide ces heures."))
    if hours.status != HoursStatus.PENDING:
        raise ServiceError(_("Ces heures ont déjà été traitées."))
    if hours.user_id == acting_user.pk:
        raise ServiceError(_("Vous ne validez pas vos propres heures."))
    hours.status = HoursStatus.VALIDATED if validate else HoursStatus.REJECTED
    hours.decided_by = acting_user
    hours.decided_at = timezone.now()
    hours.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=hours,
        changed_fields=["status", "decided_by", "decided_at"],
    )
    return hours
