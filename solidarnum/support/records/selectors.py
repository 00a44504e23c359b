"""Reads of the activity records: a site's list, its monthly counts, the places to redirect to."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from solidarnum.accounts.scope import Scope
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.network.selectors import partner_structures_for
from solidarnum.support.models import ActivityRecord
from solidarnum.support.selectors import activity_records_for


def record_rows(scope: Scope) -> QuerySet[ActivityRecord]:
    return (
        activity_records_for(scope).select_related("beneficiary", "animator").order_by("-on", "-pk")
    )


def monthly_counts(site_id: int, year: int) -> list[dict[str, int]]:
    """Per month of the year: records, people accompanied, hours (one query on the site's
    index `record_site_on`)."""
    rows = (
        ActivityRecord.objects.filter(
            reception_point_id=site_id, on__gte=date(year, 1, 1), on__lt=date(year + 1, 1, 1)
        )
        .annotate(month=ExtractMonth("on"))
        .values("month")
        .annotate(records=Count("pk"), people=Sum("participants"), minutes=Sum("duration_minutes"))
        .order_by("month")
    )
    return [
        {
            "month": row["month"],
            "records": row["records"],
            "people": row["people"] or 0,
            "hours": round((row["minutes"] or 0) / 60),
        }
        for row in rows
    ]


def places_to_redirect() -> QuerySet[ReceptionPoint]:
    """The network's open places (those of the public directory)."""
    return ReceptionPoint.objects.active()


def structures_to_redirect(scope: Scope) -> QuerySet[PartnerStructure]:
    return partner_structures_for(scope)
