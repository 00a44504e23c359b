"""The site's agenda (a day or a week: who, with whom, where) and "mes prochaines séances"."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import scope_of
from solidarnum.support import permissions

from .selectors import agenda_of, sessions_of_user


def _day_of(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        return timezone.localdate()


@access(permissions.STAFF)
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    day = _day_of(request)
    is_week = request.GET.get("vue") != "jour"
    start = day - timedelta(days=day.weekday()) if is_week else day
    end = start + timedelta(days=6 if is_week else 0)
    step = timedelta(days=7 if is_week else 1)
    return render(
        request,
        "support/agenda/agenda.html",
        {
            "days": agenda_of(scope.reception_point_id or 0, start, end),
            "is_week": is_week,
            "start": start,
            "end": end,
            "previous": (start - step).isoformat(),
            "next": (start + step).isoformat(),
            "today": timezone.localdate(),
            "now": timezone.now(),
        },
    )


@access(permissions.TEAM)
@require_GET
def my_sessions(request: HttpRequest) -> HttpResponse:
    """The caller's own coming sessions, made for a phone."""
    user = scope_of(request).user
    return render(
        request,
        "support/agenda/my_sessions.html",
        {"entries": sessions_of_user(user.pk) if user else []},
    )
