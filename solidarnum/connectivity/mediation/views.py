"""Plan advice and mediation cases, from the person's file (staff of the person's site)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.beneficiaries import file_page
from solidarnum.beneficiaries.selectors import get_beneficiary_or_404
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import permissions
from solidarnum.connectivity.models import MediationCase
from solidarnum.connectivity.paging import page_of

from . import selectors, services
from .forms import CloseForm, MediationForm, PlanAdviceForm, StepForm

SITE_STAFF = permissions.STOCK_KEEPERS  # the manager and staff of a reception point


def _file_url(beneficiary: Any) -> str:
    return file_page.url_of(beneficiary, file_page.EQUIPMENT) + "#mediation"


@access(SITE_STAFF)
@require_http_methods(["GET", "POST"])
def plan_advice_create(request: HttpRequest, public_id: str) -> HttpResponse:
    beneficiary = get_beneficiary_or_404(request, public_id)
    form = PlanAdviceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_plan_advice(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                beneficiary=beneficiary,
                **form.cleaned_data,
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Conseil forfait enregistré."))
            return HttpResponseRedirect(_file_url(beneficiary))
    return render(
        request,
        "connectivity/mediation/form.html",
        {"form": form, "beneficiary": beneficiary, "title": _("Conseil forfait")},
        status=400 if request.method == "POST" else 200,
    )


@access(SITE_STAFF)
@require_http_methods(["GET", "POST"])
def mediation_create(request: HttpRequest, public_id: str) -> HttpResponse:
    beneficiary = get_beneficiary_or_404(request, public_id)
    form = MediationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_mediation(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                beneficiary=beneficiary,
                **form.cleaned_data,
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Médiation ouverte."))
            return HttpResponseRedirect(
                reverse("connectivity:mediation_detail", kwargs={"pk": case.pk})
            )
    return render(
        request,
        "connectivity/mediation/form.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "title": _("Ouvrir une médiation avec un opérateur"),
        },
        status=400 if request.method == "POST" else 200,
    )


@access(SITE_STAFF)
@require_GET
def mediation_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.cases_for(scope_of(request)).order_by("next_due_on", "-opened_on")
    page = page_of(request, qs)
    rows = [(case, selectors.step_of(case)) for case in page.rows]
    return render(
        request,
        "connectivity/mediation/list.html",
        {"page": page, "rows": rows, "today": timezone.localdate()},
    )


def _case_or_404(request: HttpRequest, pk: int) -> MediationCase:
    return get_object_or_404(selectors.cases_for(scope_of(request)), pk=pk)


def _detail(
    request: HttpRequest, case: MediationCase, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "connectivity/mediation/detail.html",
        {
            "case": case,
            "next": selectors.step_of(case),
            "steps": list(case.steps.select_related("recorded_by")),
            "step_form": forms.get("step_form") or StepForm(),
            "close_form": forms.get("close_form") or CloseForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@access(SITE_STAFF)
@require_GET
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case_or_404(request, pk))


@access(SITE_STAFF)
@require_POST
def mediation_step(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.add_mediation_step(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                case=case,
                **form.cleaned_data,
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Étape enregistrée."))
            return HttpResponseRedirect(reverse("connectivity:mediation_detail", kwargs={"pk": pk}))
    return _detail(request, case, 400, step_form=form)


@access(SITE_STAFF)
@require_POST
def mediation_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_mediation(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                case=case,
                **form.cleaned_data,
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Médiation close."))
            return HttpResponseRedirect(reverse("connectivity:mediation_detail", kwargs={"pk": pk}))
    return _detail(request, case, 400, close_form=form)
