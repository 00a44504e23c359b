from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from solidarnum.accounts.scope import Scope
from solidarnum.connectivity import permissions
from solidarnum.connectivity.enums import OPEN_MEDIATION_STATUSES
from solidarnum.connectivity.models import MediationCase, PlanAdvice

from .deadlines import NextStep, next_step


def due_cases(today: date) -> QuerySet[MediationCase]:
    return MediationCase.objects.filter(
        status__in=sorted(OPEN_MEDIATION_STATUSES), next_due_on__lte=today
    )


def cases_for(scope: Scope) -> QuerySet[MediationCase]:
    qs = MediationCase.objects.select_related("beneficiary")
    if scope.role in permissions.SITE_STAFF:
        return qs.filter(reception_point_id=scope.reception_point_id)
    return qs.none()


def step_of(case: MediationCase) -> NextStep | None:
    return next_step(
        status=case.status,
        opened_on=case.opened_on,
        complaint_on=case.complaint_on,
        consumer_service_on=case.consumer_service_on,
        mediator_on=case.mediator_on,
    )


def of_beneficiary(beneficiary_id: int) -> dict[str, object]:
    """The file page's section: plan advice and cases (two queries)."""
    cases = list(MediationCase.objects.filter(beneficiary_id=beneficiary_id))
    return {
        "advices": list(PlanAdvice.objects.filter(beneficiary_id=beneficiary_id)[:5]),
        "cases": [(case, step_of(case)) for case in cases],
    }
