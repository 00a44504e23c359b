"""Trainings of social professionals: the list, a session with its registrations and
attendance, the attestation (PDF), the figures per structure and per year."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.pdf import render_pdf
from solidarnum.volunteers import permissions, selectors
from solidarnum.volunteers.forms import RegistrationForm, TrainingForm
from solidarnum.volunteers.models import Training
from solidarnum.volunteers.paging import page_of

from . import selectors as figures
from . import services


@access(permissions.TRAINING_READERS)
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    page = page_of(request, selectors.trainings_for(scope), 25)
    return render(
        request,
        "volunteers/trainings/training_list.html",
        {"page": page, "can_create": not scope.is_lead_referent},
    )


@access(permissions.TRAINERS)
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    form = TrainingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                training = services.create_training(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    theme=data["theme"],
                    starts_at=data["starts_at"],
                    minutes=int((data["hours"] * Decimal(60)).to_integral_value()),
                    is_remote=data["is_remote"],
                    place=data["place"],
                    trainer=data["trainer"],
                    capacity=data["capacity"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Formation créée."))
                return HttpResponseRedirect(
                    reverse("volunteers:training_detail", args=[training.pk])
                )
        status = 400
    return render(request, "volunteers/trainings/training_form.html", {"form": form}, status=status)


def _detail(
    request: HttpRequest,
    training: Training,
    form: RegistrationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = scope_of(request)
    registrations = list(selectors.registrations_for(scope, training))
    return render(
        request,
        "volunteers/trainings/training_detail.html",
        {
            "training": training,
            "registrations": registrations,
            "form": form or RegistrationForm(fixed_structure=scope.is_lead_referent),
            "can_register": training.starts_at > timezone.now()
            and len(registrations) < training.capacity,
            "can_mark": permissions.can_manage_training(scope, training.reception_point_id)
            and training.starts_at <= timezone.now(),
            "hours": round(training.minutes / 60, 1),
        },
        status=status,
    )


@access(permissions.TRAINING_READERS)
@require_GET
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_training_or_404(request, pk))


@access(permissions.TRAINING_READERS)
@require_POST
def training_register(request: HttpRequest, pk: int) -> HttpResponse:
    training = selectors.get_training_or_404(request, pk)
    scope = scope_of(request)
    form = RegistrationForm(request.POST, fixed_structure=scope.is_lead_referent)
    if form.is_valid():
        data = form.cleaned_data
        structure_id = (
            scope.partner_structure_id if scope.is_lead_referent else data["partner_structure"].pk
        )
        try:
            services.register_professional(
                acting_user=acting_user_of(request),
                scope=scope,
                training=training,
                partner_structure_id=structure_id,  # type: ignore[arg-type]
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Inscription enregistrée."))
            return HttpResponseRedirect(reverse("volunteers:training_detail", args=[pk]))
    return _detail(request, training, form, status=400)


@access(permissions.TRAINERS)
@require_POST
def training_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    training = selectors.get_training_or_404(request, pk)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    try:
        services.record_attendance(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            training=training,
            present_ids=present,
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Présences enregistrées."))
    return HttpResponseRedirect(reverse("volunteers:training_detail", args=[pk]))


@access(permissions.TRAINING_READERS)
@require_GET
def training_attestation(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    training = selectors.get_training_or_404(request, pk)
    found = selectors.get_registration_or_404(request, training, registration)
    if not found.attended:
        raise Http404
    pdf = render_pdf(
        "volunteers/trainings/attestation_pdf.html",
        {
            "training": training,
            "registration": found,
            "hours": round(training.minutes / 60, 1),
            "generated_at": timezone.now(),
        },
        request,
        stylesheets=["volunteers/a4_pdf.css"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attestation-formation-{found.pk}.pdf"'
    return response


@access(permissions.TRAINING_READERS)
@require_GET
def training_report(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    raw = request.GET.get("annee", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    return render(
        request,
        "volunteers/trainings/training_report.html",
        {
            "year": year,
            "structures": figures.per_structure(scope, year),
            "years": figures.per_year(scope),
        },
    )
