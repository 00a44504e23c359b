"""Plan advice and mediation cases: written by the staff of the person's reception point.

The person's timeline says that a mediation opened or closed, as milestones the référent sees
(`Milestone.MEDIATION_*`), in words that hold no detail: the operator, the amounts, the steps
and their notes stay with the staff of the reception point.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import permissions
from solidarnum.connectivity.enums import (
    OPEN_MEDIATION_STATUSES,
    MediationStatus,
    MediationStepKind,
)
from solidarnum.connectivity.models import MediationCase, MediationStep, PlanAdvice
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .deadlines import next_step

PLAN_FIELDS = ["needs", "current_plan", "monthly_spend", "advice", "estimated_monthly_saving"]
CASE_FIELDS = ["kind", "operator", "amount_disputed"]
# Which step sets which date of the legal path.
PATH_DATES = {
    MediationStepKind.WRITTEN_COMPLAINT: "complaint_on",
    MediationStepKind.CONSUMER_SERVICE: "consumer_service_on",
    MediationStepKind.MEDIATOR: "mediator_on",
}


def _check(scope: Scope, beneficiary: Beneficiary) -> None:
    if not permissions.is_site_staff_of(scope, beneficiary.reception_point_id):
        raise ServiceError(_("Seule l'équipe du point d'accueil de la personne peut faire cela."))


@transaction.atomic
def record_plan_advice(
    *,
    acting_user: User,
    scope: Scope,
    beneficiary: Beneficiary,
    needs: str,
    advice: str,
    current_plan: str = "",
    monthly_spend: Decimal | None = None,
    estimated_monthly_saving: Decimal | None = None,
) -> PlanAdvice:
    _check(scope, beneficiary)
    if not needs.strip() or not advice.strip():
        raise ServiceError(_("Les besoins et le conseil donné sont obligatoires."))
    plan = PlanAdvice.objects.create(
        beneficiary=beneficiary,
        needs=needs.strip(),
        advice=advice.strip(),
        current_plan=current_plan.strip(),
        monthly_spend=monthly_spend,
        estimated_monthly_saving=estimated_monthly_saving,
        recorded_by=acting_user,
    )
    add_entry(
        beneficiary=beneficiary,
        kind="connectivity.plan_advice",
        summary=_("Conseil forfait"),
        actor=acting_user,
        obj=plan,
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=plan, changed_fields=PLAN_FIELDS)
    return plan


def _refresh_due(case: MediationCase) -> None:
    step = next_step(
        status=case.status,
        opened_on=case.opened_on,
        complaint_on=case.complaint_on,
        consumer_service_on=case.consumer_service_on,
        mediator_on=case.mediator_on,
    )
    case.next_due_on = step.due_on if step else None


@transaction.atomic
def open_mediation(
    *,
    acting_user: User,
    scope: Scope,
    beneficiary: Beneficiary,
    kind: str,
    operator: str,
    amount_disputed: Decimal | None = None,
) -> MediationCase:
    _check(scope, beneficiary)
    case = MediationCase(
        beneficiary=beneficiary,
        reception_point_id=beneficiary.reception_point_id,
        kind=kind,
        operator=operator.strip(),
        amount_disputed=amount_disputed,
        opened_by=acting_user,
    )
    _refresh_due(case)
    case.save()
    add_entry(
        beneficiary=beneficiary,
        kind="connectivity.mediation_opened",
        summary=_("Médiation avec un opérateur ouverte"),
        actor=acting_user,
        milestone=Milestone.MEDIATION_OPENED,
        obj=case,
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=case, changed_fields=CASE_FIELDS)
    return case


@transaction.atomic
def add_mediation_step(
    *,
    acting_user: User,
    scope: Scope,
    case: MediationCase,
    kind: str,
    done_on: date,
    note: str = "",
) -> MediationStep:
    case = MediationCase.objects.select_for_update().select_related("beneficiary").get(pk=case.pk)
    _check(scope, case.beneficiary)
    if case.status not in OPEN_MEDIATION_STATUSES:
        raise ServiceError(_("Cette médiation est close."))
    if done_on > timezone.localdate():
        raise ServiceError(_("Une étape se note une fois faite : pas de date dans le futur."))
    if done_on < case.opened_on:
        raise ServiceError(_("Une étape ne peut pas précéder l'ouverture de la médiation."))
    step_kind = MediationStepKind(kind)
    field = PATH_DATES.get(step_kind)
    if field == "consumer_service_on" and case.complaint_on is None:
        raise ServiceError(_("Notez d'abord la réclamation écrite au service client."))
    if field == "mediator_on" and case.complaint_on is None:
        raise ServiceError(_("Notez d'abord la réclamation écrite au service client."))
    step = MediationStep.objects.create(
        case=case, kind=step_kind, done_on=done_on, note=note.strip()[:500], recorded_by=acting_user
    )
    changed = ["steps"]
    if field and getattr(case, field) is None:
        setattr(case, field, done_on)
        changed.append(field)
    if case.status == MediationStatus.OPEN:
        case.status = MediationStatus.IN_PROGRESS
        changed.append("status")
    _refresh_due(case)
    case.save()
    record(actor=acting_user, action=AuditAction.UPDATE, obj=case, changed_fields=changed)
    return step


@transaction.atomic
def close_mediation(
    *,
    acting_user: User,
    scope: Scope,
    case: MediationCase,
    status: str,
    amount_recovered: Decimal | None = None,
) -> MediationCase:
    case = MediationCase.objects.select_for_update().select_related("beneficiary").get(pk=case.pk)
    _check(scope, case.beneficiary)
    if status not in (MediationStatus.RESOLVED, MediationStatus.DROPPED):
        raise ServiceError(_("Une médiation se clôt « résolu » ou « sans suite »."))
    if case.status not in OPEN_MEDIATION_STATUSES:
        raise ServiceError(_("Cette médiation est déjà close."))
    case.status = status
    case.amount_recovered = amount_recovered
    case.closed_on = timezone.localdate()
    case.next_due_on = None
    case.save()
    add_entry(
        beneficiary=case.beneficiary,
        kind="connectivity.mediation_closed",
        summary=_("Médiation avec un opérateur résolue")
        if status == MediationStatus.RESOLVED
        else _("Médiation avec un opérateur close"),
        actor=acting_user,
        milestone=Milestone.MEDIATION_RESOLVED
        if status == MediationStatus.RESOLVED
        else Milestone.MEDIATION_DROPPED,
        obj=case,
    )
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=case,
        changed_fields=["status", "amount_recovered", "closed_on"],
    )
    return case
