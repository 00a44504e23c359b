"""Donations, tax receipts and the donor report.

Views stay thin: objects come from the scoped selectors (another company's donation answers 404),
writes go through `services`, and a refused action is shown as its French message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from solidarnum.accounts.access import AccessRuleMixin, access
from solidarnum.accounts.scope import Scope, acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.lists import LazyPaginator
from solidarnum.common.pdf import render_pdf
from solidarnum.equipment import permissions
from solidarnum.equipment.enums import DeviceKind, Status
from solidarnum.equipment.models import Donation, ImportBatch
from solidarnum.equipment.selectors import donations_for, get_donation_or_404

from . import report, services
from . import selectors as donation_selectors
from .filters import DonationFilter
from .forms import (
    DonationForm,
    ReportPeriodForm,
    TaxReceiptForm,
    current_year_period,
)
from .tables import DonationTable

PER_PAGE = 25
FORM_ERRORS = gettext_lazy("Le formulaire contient des erreurs : rien n'a été enregistré.")


# --- Donations -----------------------------------------------------------------------------------


class DonationList(AccessRuleMixin, SingleTableMixin, FilterView):
    """The donations the caller may see. Pages are counted lazily: no COUNT(*)."""

    access_rule = permissions.DONATION_READERS
    template_name = "equipment/donations/donation_list.html"
    table_class = DonationTable
    filterset_class = DonationFilter
    paginator_class = LazyPaginator
    table_pagination = {"per_page": PER_PAGE}

    def get_queryset(self) -> QuerySet[Donation]:
        return donation_selectors.with_totals(donations_for(scope_of(self.request)))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = scope_of(self.request)
        context["title"] = _("Dons")
        context["can_declare"] = permissions.DONATION_DECLARERS.allows(scope)
        return context


donation_list = DonationList.as_view()


@access(permissions.DONATION_DECLARERS)
@require_http_methods(["GET", "POST"])
def donation_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    own_donor = None if scope.is_national_admin else _own_donor(scope)
    form = DonationForm(
        request.POST if request.method == "POST" else None,
        choose_donor=scope.is_national_admin,
        initial={"donated_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                donation = services.declare_donation(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    donor=own_donor or data["donor"],
                    refurbisher=data["refurbisher"],
                    donated_on=data["donated_on"],
                    source=data["source"],
                    pickup_place=data["pickup_place"].strip(),
                    quantities=form.quantities(),
                    notes=data["notes"].strip(),
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Le don %(ref)s est enregistré.") % {"ref": donation.reference},
                )
                return HttpResponseRedirect(
                    reverse("equipment:donation_detail", kwargs={"pk": donation.pk})
                )
        messages.error(request, FORM_ERRORS)
    return render(
        request,
        "equipment/donations/donation_form.html",
        {"form": form, "own_donor": own_donor},
        status=status,
    )


def _own_donor(scope: Scope) -> Any:
    """The donor contact's company (loaded with the scope: no query)."""
    donor = scope.membership.donor if scope.membership else None
    if donor is None:
        raise PermissionDenied
    return donor


def _batch_url(batch: ImportBatch, scope: Scope) -> str | None:
    """A link to the batch page, when the caller may open it."""
    if not (scope.is_national_admin or scope.is_refurbisher_contact):
        return None
    return reverse("equipment:batch_detail", kwargs={"pk": batch.pk})


@access(permissions.DONATION_READERS)
def donation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    donation = get_donation_or_404(request, pk)
    scope = scope_of(request)
    expected = {item.kind: item.expected_quantity for item in donation.items.all()}
    registered: dict[str, int] = {}
    by_status: dict[str, int] = {}
    # One aggregate for both tables: devices per (kind, status).
    for kind, status, n in donation_selectors.device_counts(donation):
        registered[kind] = registered.get(kind, 0) + n
        by_status[status] = by_status.get(status, 0) + n
    kinds = [
        {
            "label": kind.label,
            "expected": expected.get(kind.value, 0),
            "registered": registered.get(kind.value, 0),
        }
        for kind in DeviceKind
        if kind.value in expected or kind.value in registered
    ]
    statuses = [(status.label, by_status[status.value]) for status in Status if status in by_status]
    batches = [(batch, _batch_url(batch, scope)) for batch in donation.batches.all()]
    return render(
        request,
        "equipment/donations/donation_detail.html",
        {
            "donation": donation,
            "kinds": kinds,
            "expected_total": sum(expected.values()),
            "registered_total": sum(registered.values()),
            "statuses": statuses,
            "batches": batches,
            "can_record_receipt": permissions.can_record_tax_receipt(scope, donation),
        },
    )


@access(permissions.DONATION_READERS)
@require_http_methods(["GET", "POST"])
def donation_tax_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The refurbisher (or the national team) records the receipt; the donor reads it."""
    donation = get_donation_or_404(request, pk)
    scope = scope_of(request)
    can_edit = permissions.can_record_tax_receipt(scope, donation)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = None
    status = 200
    if can_edit:
        form = TaxReceiptForm(
            request.POST if request.method == "POST" else None,
            donation=donation,
            initial={
                "number": donation.tax_receipt_number,
                "issued_on": donation.tax_receipt_date or timezone.localdate(),
                "valued_amount": donation.valued_amount,
            },
        )
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    services.record_tax_receipt(
                        acting_user=acting_user_of(request),
                        scope=scope,
                        donation=donation,
                        number=form.cleaned_data["number"],
                        issued_on=form.cleaned_data["issued_on"],
                        valued_amount=form.cleaned_data["valued_amount"],
                    )
                except ServiceError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Le reçu fiscal est enregistré."))
                    return HttpResponseRedirect(
                        reverse("equipment:donation_detail", kwargs={"pk": donation.pk})
                    )
            messages.error(request, FORM_ERRORS)
    return render(
        request,
        "equipment/donations/tax_receipt.html",
        {"donation": donation, "form": form},
        status=status,
    )


# --- Donor report --------------------------------------------------------------------------------


def _period_form(request: HttpRequest, scope: Scope) -> ReportPeriodForm:
    """The period asked in the query string, the current calendar year by default."""
    start, end = current_year_period()
    data: dict[str, str] = {"start": start.isoformat(), "end": end.isoformat()}
    for key in ("start", "end"):
        if key in request.GET:
            data[key] = request.GET.get(key, "")
    if scope.is_national_admin and request.GET.get("donor"):
        data["donor"] = request.GET.get("donor", "")
    return ReportPeriodForm(data, choose_donor=scope.is_national_admin)


def _report_context(request: HttpRequest) -> dict[str, Any]:
    """The form, and the report when the period is right and the company known."""
    scope = scope_of(request)
    form = _period_form(request, scope)
    context: dict[str, Any] = {"form": form, "report": None, "is_admin": scope.is_national_admin}
    if not form.is_valid():
        return context
    # A donor contact only ever sees their own company: a donor= parameter is ignored.
    donor = form.cleaned_data.get("donor") if scope.is_national_admin else _own_donor(scope)
    if donor is None:
        return context
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    params = {"start": start.isoformat(), "end": end.isoformat()}
    if scope.is_national_admin:
        params["donor"] = str(donor.pk)
    context.update(
        report=report.donor_report(donor, start, end),
        factors=report.emission_factors(),
        threshold=report.SMALL_COUNT_THRESHOLD,
        pdf_url=f"{reverse('equipment:donor_report_pdf')}?{urlencode(params)}",
    )
    return context


def _settings_source() -> dict[str, str]:
    return {
        "source": settings.EQUIPMENT_EMISSION_SOURCE,
        "source_url": settings.EQUIPMENT_EMISSION_SOURCE_URL,
    }


@access(permissions.DONOR_REPORT_READERS)
def donor_report(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    context.update(_settings_source())
    status = 400 if context["form"].errors else 200
    return render(request, "equipment/donations/report.html", context, status=status)


@never_cache
@access(permissions.DONOR_REPORT_READERS)
def donor_report_pdf(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    context.update(_settings_source())
    if context["form"].errors:
        return render(request, "equipment/donations/report.html", context, status=400)
    if context["report"] is None:
        messages.error(request, _("Choisissez d'abord l'entreprise donatrice."))
        return HttpResponseRedirect(reverse("equipment:donor_report"))
    donor_report_data: report.DonorReport = context["report"]
    context["generated_on"] = timezone.localdate()
    pdf = render_pdf(
        "equipment/donations/report_pdf.html",
        context,
        request,
        stylesheets=["equipment/donations/report_pdf.css"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = (
        f"rapport-donateur-{donor_report_data.donor.siret}-"
        f"{donor_report_data.start:%Y%m%d}-{donor_report_data.end:%Y%m%d}.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
