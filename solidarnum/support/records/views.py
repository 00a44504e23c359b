"""Recording an activity after a session (prefilled from the booking), the site's records and
their monthly counts, the places a person may be redirected to."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.autocomplete import suggestions
from solidarnum.common.errors import ServiceError
from solidarnum.support import permissions, selectors
from solidarnum.support.paging import page_of

from . import services
from .forms import RecordForm
from .selectors import monthly_counts, places_to_redirect, record_rows, structures_to_redirect


@access(permissions.TEAM)
@require_GET
def place_suggestions(request: HttpRequest) -> HttpResponse:
    return suggestions(
        request,
        places_to_redirect().order_by("name", "pk"),
        search_fields=("name", "commune", "postcode"),
        hint=lambda p: f"{p.postcode} {p.commune}",
    )


@access(permissions.TEAM)
@require_GET
def structure_suggestions(request: HttpRequest) -> HttpResponse:
    return suggestions(
        request,
        structures_to_redirect(scope_of(request)).order_by("name", "pk"),
        search_fields=("name", "commune"),
        hint=lambda s: s.commune,
    )


def _form(request: HttpRequest, *, initial: dict[str, object], collective: bool) -> RecordForm:
    return RecordForm(
        request.POST or None,
        initial=initial,
        places=places_to_redirect(),
        structures=structures_to_redirect(scope_of(request)),
        collective=collective,
    )


@access(permissions.TEAM)
@require_http_methods(["GET", "POST"])
def appointment_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity record of a permanence, prefilled from the booking."""
    appointment = selectors.get_appointment_or_404(request, pk)
    form = _form(
        request,
        initial={
            "on": timezone.localtime(appointment.starts_at).date(),
            "duration_minutes": appointment.duration_minutes,
            "material": ["ordinateur"],
        },
        collective=False,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_appointment(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    appointment=appointment,
                    details=form.details(),
                )
                messages.success(request, _("Compte-rendu enregistré. Merci !"))
                return HttpResponseRedirect(reverse("support:my_sessions"))
            except ServiceError as error:
                form.add_error(None, _("Rien n'a été enregistré : %(why)s") % {"why": error})
        status = 400
    return render(
        request,
        "support/records/record_form.html",
        {"form": form, "appointment": appointment},
        status=status,
    )


@access(permissions.TEAM)
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    """The site's records (staff) or the caller's own (a volunteer), with the monthly counts."""
    scope = scope_of(request)
    today = timezone.localdate()
    return render(
        request,
        "support/records/record_list.html",
        {
            "page": page_of(request, record_rows(scope), 25),
            "months": monthly_counts(scope.reception_point_id or 0, today.year)
            if scope.role in permissions.SITE_STAFF
            else [],
            "year": today.year,
        },
    )
