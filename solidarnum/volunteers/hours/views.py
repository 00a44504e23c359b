"""Hours: the volunteer's own and their declarations; the manager's validation; totals and the
valuation of volunteer time (CSV and PDF) for a site (manager) or every site (national)."""

from __future__ import annotations

from datetime import date
from typing import Any

from defusedcsv import csv
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.pdf import render_pdf
from solidarnum.volunteers import permissions
from solidarnum.volunteers import selectors as scoped
from solidarnum.volunteers.enums import HoursStatus
from solidarnum.volunteers.forms import DeclareHoursForm, PeriodForm
from solidarnum.volunteers.paging import page_of

from . import selectors, services


def _my_hours_page(request: HttpRequest, form: DeclareHoursForm, status: int = 200) -> HttpResponse:
    scope = scope_of(request)
    user = acting_user_of(request)
    first, last = selectors.month_bounds()
    year_start = timezone.localdate().replace(month=1, day=1)
    month = selectors.grand_total_of(selectors.totals(start=first, end=last, user_ids=[user.pk]))
    year = selectors.grand_total_of(
        selectors.totals(start=year_start, end=timezone.localdate(), user_ids=[user.pk])
    )
    today = timezone.localdate()
    sessions = selectors.session_rows([user.pk], today.replace(day=1), today)
    page = page_of(request, scoped.declared_hours_for(scope), 25)
    return render(
        request,
        "volunteers/hours/my_hours.html",
        {"form": form, "page": page, "month": month, "year": year, "sessions": sessions},
        status=status,
    )


@access(permissions.VOLUNTEERS)
@require_http_methods(["GET", "POST"])
def my_hours(request: HttpRequest) -> HttpResponse:
    user = acting_user_of(request)
    form = DeclareHoursForm(request.POST or None, sites=scoped.volunteer_sites(user))
    if request.method == "GET":
        return _my_hours_page(request, form)
    if form.is_valid():
        try:
            services.declare_hours(
                acting_user=user,
                reception_point_id=form.cleaned_data["reception_point"].pk,
                worked_on=form.cleaned_data["worked_on"],
                minutes=form.minutes,
                category=form.cleaned_data["category"],
                comment=form.cleaned_data["comment"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Heures déclarées : le responsable les validera."))
            return HttpResponseRedirect(reverse("volunteers:my_hours"))
    return _my_hours_page(request, form, status=400)


@access(permissions.MANAGERS)
@require_GET
def hours_review(request: HttpRequest) -> HttpResponse:
    pending = scoped.declared_hours_for(scope_of(request)).filter(status=HoursStatus.PENDING)
    page = page_of(request, pending.order_by("worked_on", "id"), 50)
    return render(request, "volunteers/hours/hours_review.html", {"page": page})


@access(permissions.MANAGERS)
@require_POST
def hours_decide(request: HttpRequest, pk: int) -> HttpResponse:
    hours = scoped.get_declared_hours_or_404(request, pk)
    validate = request.POST.get("decision") == "validate"
    try:
        services.decide_hours(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            hours=hours,
            validate=validate,
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Heures validées.") if validate else _("Heures refusées."))
    return HttpResponseRedirect(reverse("volunteers:hours_review"))


def _period(request: HttpRequest) -> tuple[date, date, PeriodForm]:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = today.replace(month=1, day=1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    return start, end, form


def _summary(request: HttpRequest) -> dict[str, Any]:
    scope = scope_of(request)
    start, end, form = _period(request)
    context: dict[str, Any] = {
        "start": start,
        "end": end,
        "form": form,
        "rate": selectors.hourly_rate(),
        "query": request.GET.urlencode(),
    }
    if scope.is_national_admin:
        lines: Any = selectors.by_site(start, end)
        context["sites"] = lines
    else:
        lines = selectors.by_volunteer(scope.reception_point_id, start, end)  # type: ignore[arg-type]
        context["volunteers"] = lines
        context["site"] = scope.membership.reception_point if scope.membership else None
    context["total"] = selectors.grand_total(lines)
    return context


@access(permissions.HOURS_READERS)
@require_GET
def hours_summary(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/hours/hours_summary.html", _summary(request))


@access(permissions.HOURS_READERS)
@require_GET
def valuation_csv(request: HttpRequest) -> HttpResponse:
    context = _summary(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="valorisation-benevolat-{context["start"]:%Y%m%d}-'
        f'{context["end"]:%Y%m%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    first = _("Point d'accueil") if "sites" in context else _("Bénévole")
    writer.writerow(
        [first, _("Heures"), _("Séances"), _("Personnes accompagnées"), _("Valeur (€)")]
    )
    for line in context.get("sites") or context.get("volunteers") or []:
        name = line.site.name if "sites" in context else str(line.user)
        t = line.totals
        writer.writerow([name, t.hours, t.sessions, t.people, t.value])
    total = context["total"]
    writer.writerow([_("Total"), total.hours, total.sessions, total.people, total.value])
    writer.writerow([_("Taux horaire retenu (€)"), context["rate"]])
    return response


@access(permissions.HOURS_READERS)
@require_GET
def valuation_pdf(request: HttpRequest) -> HttpResponse:
    context = _summary(request)
    context["generated_at"] = timezone.now()
    pdf = render_pdf(
        "volunteers/hours/valuation_pdf.html",
        context,
        request,
        stylesheets=["volunteers/a4_pdf.css"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="valorisation-benevolat-{context["start"]:%Y%m%d}.pdf"'
    )
    return response
