"""The figures of the trainings of professionals: per structure, per year."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from solidarnum.accounts.scope import Scope
from solidarnum.volunteers.models import TrainingRegistration
from solidarnum.volunteers.selectors import trainings_for


def _attended(scope: Scope) -> QuerySet[TrainingRegistration]:
    qs = TrainingRegistration.objects.filter(attended=True, training__in=trainings_for(scope))
    if scope.is_lead_referent:
        qs = qs.filter(partner_structure_id=scope.partner_structure_id)
    return qs


def per_structure(scope: Scope, year: int) -> list[dict[str, object]]:
    """Per partner structure: professionals trained (distinct people) and hours of training."""
    rows = (
        _attended(scope)
        .filter(training__starts_at__year=year)
        .values("partner_structure__name")
        .annotate(
            people=Count("email", distinct=True),
            minutes=Sum("training__minutes"),
        )
        .order_by("-people", "partner_structure__name")
    )
    return [
        {
            "structure": row["partner_structure__name"],
            "people": row["people"],
            "hours": round((row["minutes"] or 0) / 60, 1),
        }
        for row in rows
    ]


def per_year(scope: Scope) -> list[dict[str, object]]:
    """ "Professionnels formés" per year: distinct people who attended at least one training."""
    rows = (
        _attended(scope)
        .annotate(year=ExtractYear("training__starts_at"))
        .values("year")
        .annotate(people=Count("email", distinct=True), minutes=Sum("training__minutes"))
        .order_by("-year")
    )
    return [
        {"year": r["year"], "people": r["people"], "hours": round((r["minutes"] or 0) / 60, 1)}
        for r in rows
    ]
