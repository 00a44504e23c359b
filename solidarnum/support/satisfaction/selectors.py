"""Satisfaction per service and site: the share of answers with a happy face, and how many."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from solidarnum.accounts.scope import Scope
from solidarnum.support.enums import SATISFIED, SessionKind
from solidarnum.support.models import SurveyAnswer
from solidarnum.support.permissions import SITE_STAFF


def get_survey_or_404(token: Any) -> SurveyAnswer:
    survey = SurveyAnswer.objects.select_related("reception_point").filter(token=token).first()
    if survey is None:
        raise Http404
    return survey


def rates_for(scope: Scope) -> list[dict[str, Any]]:
    """Per site and service: answers and the satisfaction rate (one query)."""
    answered = SurveyAnswer.objects.filter(answered_at__isnull=False)
    if scope.role in SITE_STAFF:
        answered = answered.filter(reception_point_id=scope.reception_point_id)
    elif not scope.is_national_admin:
        return []
    labels = dict(SessionKind.choices)
    rows = (
        answered.values("reception_point__name", "kind")
        .annotate(answers=Count("pk"), satisfied=Count("pk", filter=Q(smiley__in=SATISFIED)))
        .order_by("reception_point__name", "kind")
    )
    return [
        {
            "site": row["reception_point__name"],
            "service": labels.get(row["kind"], row["kind"]),
            "answers": row["answers"],
            "rate": round(100 * row["satisfied"] / row["answers"]) if row["answers"] else 0,
        }
        for row in rows
    ]
