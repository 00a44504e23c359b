"""Reads of the donation pages: totals per donation, devices per kind and status."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from solidarnum.equipment.models import Device, Donation, DonationItem


def with_totals(qs: QuerySet[Donation]) -> QuerySet[Donation]:
    """Annotate `expected_total` and `registered_total` with subqueries (no join fan-out)."""
    expected = (
        DonationItem.objects.filter(donation=OuterRef("pk"))
        .values("donation")
        .annotate(total=Sum("expected_quantity"))
        .values("total")
    )
    registered = (
        Device.objects.filter(donation=OuterRef("pk"))
        .values("donation")
        .annotate(total=Count("id"))
        .values("total")
    )
    return qs.annotate(
        expected_total=Coalesce(Subquery(expected, output_field=IntegerField()), 0),
        registered_total=Coalesce(Subquery(registered, output_field=IntegerField()), 0),
    )


def device_counts(donation: Donation) -> list[tuple[str, str, int]]:
    """(kind, status, number of devices) of a donation, in one aggregate query."""
    return list(
        Device.objects.filter(donation=donation)
        .values_list("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
