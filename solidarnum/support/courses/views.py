"""Course pages: the site's cohorts and a new one, a cohort (its sessions, each person's hours,
modules and attestation), the attendance sheet of a half-day, the attestation PDF."""

from __future__ import annotations

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
from solidarnum.support import permissions, selectors
from solidarnum.support.enums import Presence
from solidarnum.support.models import Cohort
from solidarnum.support.permanences.selectors import bookable_people_for
from solidarnum.support.records.selectors import structures_to_redirect

from . import services
from .forms import CohortForm, EnrolForm
from .selectors import cohort_board, progress_of, sheet_rows, total_minutes

NOT_SAVED = _("Rien n'a été enregistré : %(why)s")


@access(permissions.TEAM)
@require_http_methods(["GET", "POST"])
def cohort_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    site_id = scope.reception_point_id or 0
    is_staff = scope.role in permissions.SITE_STAFF
    form = CohortForm(
        request.POST or None,
        templates=selectors.course_templates(),
        structures=structures_to_redirect(scope),
        team=selectors.team_proposal_labels(site_id),
    )
    status = 200
    if request.method == "POST":
        if not is_staff:
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                cohort = services.create_cohort(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    reception_point=scope.membership.reception_point,  # type: ignore[union-attr,arg-type]
                    template=data["template"],
                    name=data["name"],
                    starts_on=data["starts_on"],
                    capacity=data["capacity"],
                    animators=list(selectors.team_users(site_id).filter(pk__in=data["animators"])),
                    partner_structure=data["partner_structure"],
                    funder_programme=data["funder_programme"],
                    room=data["room"],
                )
                messages.success(request, _("Groupe ouvert : ses séances sont dans l'agenda."))
                return HttpResponseRedirect(
                    reverse("support:cohort_detail", kwargs={"pk": cohort.pk})
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
        status = 400
    return render(
        request,
        "support/courses/cohort_list.html",
        {"cohorts": list(selectors.cohort_rows(scope)[:50]), "form": form if is_staff else None},
        status=status,
    )


def _cohort_context(request: HttpRequest, cohort: Cohort) -> dict[str, object]:
    sessions, progress = cohort_board(cohort)
    scope = scope_of(request)
    return {
        "cohort": cohort,
        "sessions": sessions,
        "progress": progress,
        "total_hours": round(total_minutes(cohort, sessions) / 60),
        "is_staff": permissions.is_staff_of(scope, cohort.reception_point_id),
        "enrol_form": EnrolForm(people=bookable_people_for(scope)),
        "now": timezone.now(),
    }


@access(permissions.TEAM)
@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.get_cohort_or_404(request, pk)
    return render(request, "support/courses/cohort_detail.html", _cohort_context(request, cohort))


@access(permissions.STAFF)
@require_POST
def cohort_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.get_cohort_or_404(request, pk)
    scope = scope_of(request)
    form = EnrolForm(request.POST, people=bookable_people_for(scope))
    if form.is_valid():
        try:
            services.enrol_person(
                acting_user=acting_user_of(request),
                scope=scope,
                cohort=cohort,
                beneficiary=form.cleaned_data["beneficiary"],
            )
            messages.success(request, _("Personne inscrite au groupe."))
            return HttpResponseRedirect(reverse("support:cohort_detail", kwargs={"pk": pk}))
        except ServiceError as error:
            form.add_error(None, NOT_SAVED % {"why": error})
    context = _cohort_context(request, cohort)
    context["enrol_form"] = form
    return render(request, "support/courses/cohort_detail.html", context, status=400)


def _minutes(value: str) -> int:
    return int(value) if value.strip().isdigit() else 0


@access(permissions.TEAM)
@require_http_methods(["GET", "POST"])
def cohort_session(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet of a half-day, made for the site's tablet."""
    session = selectors.get_cohort_session_or_404(request, pk)
    rows = sheet_rows(session)
    status = 200
    error = ""
    if request.method == "POST":
        marks = [
            services.Mark(
                enrolment_id=enrolment.pk,
                presence=request.POST.get(f"presence-{enrolment.pk}", Presence.ABSENT),
                late_minutes=_minutes(request.POST.get(f"late-{enrolment.pk}", "")),
                left_early_minutes=_minutes(request.POST.get(f"early-{enrolment.pk}", "")),
                signature=request.POST.get(f"signature-{enrolment.pk}", ""),
            )
            for enrolment, _mark in rows
        ]
        try:
            issued = services.take_attendance(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                session=session,
                marks=marks,
            )
            messages.success(request, _("Émargement enregistré."))
            if issued:
                messages.success(
                    request,
                    _("Attestation de fin de parcours pour : %(names)s.")
                    % {"names": ", ".join(e.beneficiary.full_name for e in issued)},
                )
            return HttpResponseRedirect(
                reverse("support:cohort_detail", kwargs={"pk": session.cohort_id})
            )
        except ServiceError as refusal:
            error = NOT_SAVED % {"why": refusal}
            status = 400
    return render(
        request,
        "support/courses/attendance_sheet.html",
        {
            "session": session,
            "rows": rows,
            "error": error,
            "started": session.starts_at <= timezone.now(),
            "presences": Presence.choices,
        },
        status=status,
    )


@access(permissions.STAFF)
@require_GET
def enrolment_attestation(request: HttpRequest, pk: int) -> HttpResponse:
    """Attestation de suivi (hours so far) or de fin de parcours (at the threshold), as a PDF."""
    enrolment = selectors.get_enrolment_or_404(request, pk)
    cohort = enrolment.cohort
    sessions = list(cohort.sessions.select_related("module").order_by("starts_at"))
    marks = list(enrolment.attendance.all())
    progress = progress_of(cohort, sessions, [enrolment], marks)[enrolment.pk]
    pdf = render_pdf(
        "support/courses/attestation_pdf.html",
        {
            "enrolment": enrolment,
            "cohort": cohort,
            "progress": progress,
            "is_final": enrolment.attestation_at is not None,
            "total_hours": round(total_minutes(cohort, sessions) / 60),
            "generated_at": timezone.now(),
            "first_day": sessions[0].starts_at if sessions else None,
            "last_day": sessions[-1].starts_at if sessions else None,
        },
        request,
        stylesheets=["support/courses/attestation_pdf.css"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attestation-{enrolment.pk}.pdf"'
    return response
