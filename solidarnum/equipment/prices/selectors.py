"""Reads of the price grid: what applies today and what comes next, the history."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from solidarnum.equipment.models import Price


def with_next_start(qs: QuerySet[Price]) -> QuerySet[Price]:
    """Annotate `next_start`: when the following price of the same kind and grade begins."""
    following = Price.objects.filter(
        kind=OuterRef("kind"), grade=OuterRef("grade"), valid_from__gt=OuterRef("valid_from")
    ).order_by("valid_from")
    return qs.annotate(next_start=Subquery(following.values("valid_from")[:1]))


def current_and_upcoming(today: date) -> QuerySet[Price]:
    """In force today (the latest price already started) and the ones to come, in one query."""
    newer_started = Price.objects.filter(
        kind=OuterRef("kind"),
        grade=OuterRef("grade"),
        valid_from__gt=OuterRef("valid_from"),
        valid_from__lte=today,
    )
    return (
        Price.objects.annotate(has_newer=Exists(newer_started))
        .filter(Q(valid_from__gt=today) | Q(valid_from__lte=today, has_newer=False))
        .order_by("valid_from", "kind", "grade")
    )


def history(today: date) -> QuerySet[Price]:
    """Every price already started, each with the start of the next one."""
    return with_next_start(Price.objects.filter(valid_from__lte=today))
