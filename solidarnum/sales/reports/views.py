"""The manager's first page of purchasing power injected: per month at the site."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import scope_of
from solidarnum.connectivity.selectors import places_for
from solidarnum.sales import permissions, selectors


@access(permissions.REPORT_READERS)
@require_GET
def purchasing_power(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    places = list(places_for(scope).order_by("name"))
    chosen = request.GET.get("site", "")
    place = next((p for p in places if str(p.pk) == chosen), places[0] if places else None)
    since = (timezone.localdate() - timedelta(days=365)).replace(day=1)
    months = selectors.purchasing_power_by_month(place.pk, since) if place else []
    return render(
        request,
        "sales/reports/purchasing_power.html",
        {
            "places": places if scope.is_national_admin else [],
            "place": place,
            "months": months,
            "total": sum((m["saving"] for m in months), start=0),
        },
    )
