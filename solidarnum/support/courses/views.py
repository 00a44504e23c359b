"""Course pages: the site's cohorts and a new one, a cohort (its sessions, each person's hours,
modules and attestation), the attendance sheet of a half-day, the attestation PDF; the course
catalogue (templates, their modules and half-days), read by the site staff and the national
team, edited by the national team (ADR 0042)."""

from __future__ import annotations

from django import forms
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
from solidarnum.support.models import Cohort, CourseTemplate
from solidarnum.support.paging import page_of
from solidarnum.support.permanences.selectors import bookable_people_for
from solidarnum.support.records.selectors import structures_to_redirect

from . import services
from .forms import CohortForm, CourseModuleForm, CourseTemplateForm, EnrolForm, TemplateSessionForm
from .selectors import (
    catalogue_rows,
    cohort_board,
    outline_of,
    progress_of,
    sheet_rows,
    total_minutes,
)

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
        {
            "cohorts": list(selectors.cohort_rows(scope)[:50]),
            "form": form if is_staff else None,
            "can_read_catalogue": permissions.CATALOGUE_READERS.allows(scope),
        },
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
        "can_read_catalogue": permissions.CATALOGUE_READERS.allows(scope),
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


# --- The catalogue: templates, their modules and half-days (ADR 0042) ---------------------------

FORM_FILE = "support/courses/catalogue_form.html"


def _template_page(pk: int, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("support:course_template_detail", kwargs={"pk": pk})
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    status: int,
    note: str = "",
) -> HttpResponse:
    return render(
        request,
        FORM_FILE,
        {"form": form, "title": title, "back": back, "note": note},
        status=status,
    )


@access(permissions.CATALOGUE_READERS)
@require_GET
def course_template_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    rows = catalogue_rows(selectors.course_templates_for(scope))
    return render(
        request,
        "support/courses/template_list.html",
        {"page": page_of(request, rows, 25), "can_edit": permissions.can_edit_catalogue(scope)},
    )


@access(permissions.CATALOGUE_READERS)
@require_GET
def course_template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_template_detail(request, selectors.get_course_template_or_404(request, pk))


def _render_template_detail(
    request: HttpRequest, template: CourseTemplate, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "support/courses/template_detail.html",
        {
            "template": template,
            "outline": outline_of(template),
            "can_edit": permissions.can_edit_catalogue(scope_of(request)),
        },
        status=status,
    )


@access(permissions.CATALOGUE_EDITORS)
@require_http_methods(["GET", "POST"])
def course_template_create(request: HttpRequest) -> HttpResponse:
    form = CourseTemplateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                template = services.create_course_template(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    **{name: form.cleaned_data[name] for name in services.TEMPLATE_FIELDS},
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
            else:
                messages.success(request, _("Parcours créé : ajoutez-lui ses modules et séances."))
                return _template_page(template.pk)
        return _form_page(
            request,
            form,
            title=_("Nouveau parcours"),
            back=reverse("support:course_template_list"),
            status=400,
        )
    return _form_page(
        request,
        form,
        title=_("Nouveau parcours"),
        back=reverse("support:course_template_list"),
        status=200,
    )


@access(permissions.CATALOGUE_EDITORS)
@require_http_methods(["GET", "POST"])
def course_template_update(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.get_course_template_or_404(request, pk)
    initial = {name: getattr(template, name) for name in services.TEMPLATE_FIELDS}
    form = CourseTemplateForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_course_template(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    template=template,
                    **{name: form.cleaned_data[name] for name in services.TEMPLATE_FIELDS},
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
            else:
                messages.success(request, _("Parcours enregistré."))
                return _template_page(pk)
    return _form_page(
        request,
        form,
        title=_("Modifier « %(name)s »") % {"name": template.name},
        back=reverse("support:course_template_detail", kwargs={"pk": pk}),
        status=status,
        note=_("Le seuil d'assiduité ne change plus une fois qu'un groupe a commencé ce parcours."),
    )


@access(permissions.CATALOGUE_EDITORS)
@require_http_methods(["GET", "POST"])
def course_module_create(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.get_course_template_or_404(request, pk)
    form = CourseModuleForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                module = services.add_course_module(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    template=template,
                    title=form.cleaned_data["title"],
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
            else:
                messages.success(request, _("Module ajouté : ajoutez-lui ses séances."))
                return _template_page(pk, f"module-{module.pk}")
    return _form_page(
        request,
        form,
        title=_("Nouveau module de « %(name)s »") % {"name": template.name},
        back=reverse("support:course_template_detail", kwargs={"pk": pk}),
        status=status,
    )


@access(permissions.CATALOGUE_EDITORS)
@require_http_methods(["GET", "POST"])
def course_module_update(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.get_course_module_or_404(request, pk)
    form = CourseModuleForm(
        request.POST if request.method == "POST" else None, initial={"title": module.title}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.rename_course_module(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    module=module,
                    title=form.cleaned_data["title"],
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
            else:
                messages.success(request, _("Module enregistré."))
                return _template_page(module.template_id, f"module-{pk}")
    return _form_page(
        request,
        form,
        title=_("Modifier le module « %(title)s »") % {"title": module.title},
        back=reverse("support:course_template_detail", kwargs={"pk": module.template_id}),
        status=status,
    )


@access(permissions.CATALOGUE_EDITORS)
@require_POST
def course_module_move(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.get_course_module_or_404(request, pk)
    try:
        services.move_course_module(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            module=module,
            up=request.POST.get("direction") != "down",
        )
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
        return _render_template_detail(request, module.template, status=400)
    messages.success(request, _("Ordre des modules enregistré."))
    return _template_page(module.template_id, f"module-{pk}")


@access(permissions.CATALOGUE_EDITORS)
@require_POST
def course_module_remove(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.get_course_module_or_404(request, pk)
    try:
        deleted = services.remove_course_module(
            acting_user=acting_user_of(request), scope=scope_of(request), module=module
        )
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
        return _render_template_detail(request, module.template, status=400)
    messages.success(request, _("Module supprimé.") if deleted else RETIRED)
    return _template_page(module.template_id)


RETIRED = _(
    "Des groupes l'ont déjà suivi : il est retiré du parcours pour les prochains groupes et "
    "reste dans l'historique des groupes passés."
)


@access(permissions.CATALOGUE_EDITORS)
@require_http_methods(["GET", "POST"])
def template_session_create(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.get_course_module_or_404(request, pk)
    form = TemplateSessionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.add_template_session(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    module=module,
                    title=form.cleaned_data["title"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
            else:
                messages.success(request, _("Séance ajoutée."))
                return _template_page(module.template_id, f"module-{pk}")
    return _form_page(
        request,
        form,
        title=_("Nouvelle séance du module « %(title)s »") % {"title": module.title},
        back=reverse("support:course_template_detail", kwargs={"pk": module.template_id}),
        status=status,
    )


@access(permissions.CATALOGUE_EDITORS)
@require_http_methods(["GET", "POST"])
def template_session_update(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_template_session_or_404(request, pk)
    form = TemplateSessionForm(
        request.POST if request.method == "POST" else None,
        initial={"title": session.title, "duration_minutes": session.duration_minutes},
    )
    template_id = session.module.template_id
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_template_session(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    session=session,
                    title=form.cleaned_data["title"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
            else:
                messages.success(request, _("Séance enregistrée."))
                return _template_page(template_id, f"module-{session.module_id}")
    return _form_page(
        request,
        form,
        title=_("Modifier la séance « %(title)s »") % {"title": session.title},
        back=reverse("support:course_template_detail", kwargs={"pk": template_id}),
        status=status,
        note=_(
            "Une nouvelle durée vaut pour les groupes ouverts ensuite : les groupes déjà "
            "ouverts gardent leurs horaires et leurs heures de présence."
        ),
    )


@access(permissions.CATALOGUE_EDITORS)
@require_POST
def template_session_remove(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_template_session_or_404(request, pk)
    template = session.module.template
    try:
        deleted = services.remove_template_session(
            acting_user=acting_user_of(request), scope=scope_of(request), session=session
        )
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
        return _render_template_detail(request, template, status=400)
    messages.success(request, _("Séance supprimée.") if deleted else SESSION_RETIRED)
    return _template_page(template.pk, f"module-{session.module_id}")


SESSION_RETIRED = _(
    "Des groupes l'ont déjà suivie : elle est retirée du parcours pour les prochains groupes "
    "et reste dans l'historique des groupes passés."
)
