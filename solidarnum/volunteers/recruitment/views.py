"""The public "devenir bénévole" form per site, and the site manager's candidates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from solidarnum.accounts.access import PUBLIC, access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.volunteers import permissions, selectors
from solidarnum.volunteers.enums import CandidateStatus, Skill
from solidarnum.volunteers.forms import ApplicationForm, CandidateMoveForm
from solidarnum.volunteers.paging import page_of

from . import services

# A filled form is well under this size; more is not a person typing.
MAX_BODY_BYTES = 8 * 1024


@access(PUBLIC)
@require_GET
def apply_sites(request: HttpRequest) -> HttpResponse:
    return render(
        request, "volunteers/recruitment/apply_sites.html", {"sites": selectors.public_sites()}
    )


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, site: int) -> HttpResponse:
    place = selectors.get_public_site_or_404(site)
    if request.method == "GET":
        return render(
            request,
            "volunteers/recruitment/apply.html",
            {"place": place, "form": ApplicationForm()},
        )
    if len(request.body) > MAX_BODY_BYTES:
        return HttpResponse(_("Formulaire trop long."), status=413)
    if is_ratelimited(
        request,
        group="solidarnum.volunteer-applications",
        key="ip",
        rate=settings.VOLUNTEERS_APPLY_RATE,
        method="POST",
        increment=True,
    ):
        return render(
            request, "volunteers/recruitment/apply_limited.html", {"place": place}, status=429
        )
    form = ApplicationForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["website"]:
            # A robot filled the trap: answer as if it worked, keep nothing.
            return render(request, "volunteers/recruitment/apply_done.html", {"place": place})
        try:
            services.submit_application(reception_point_id=place.pk, data=form.cleaned_data)
        except ServiceError as error:
            form.add_error("consent", str(error))
        else:
            return render(request, "volunteers/recruitment/apply_done.html", {"place": place})
    return render(
        request,
        "volunteers/recruitment/apply.html",
        {"place": place, "form": form},
        status=400,
    )


@access(permissions.MANAGERS)
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    candidates = selectors.candidates_for(scope_of(request))
    if status in CandidateStatus.values:
        candidates = candidates.filter(status=status)
    page = page_of(request, candidates, 50)
    return render(
        request,
        "volunteers/recruitment/candidate_list.html",
        {
            "page": page,
            "statuses": CandidateStatus.choices,
            "status": status,
            "query": f"statut={status}" if status else "",
        },
    )


@access(permissions.MANAGERS)
@require_http_methods(["GET", "POST"])
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.get_candidate_or_404(request, pk)
    form = CandidateMoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.move_candidate(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    candidate=candidate,
                    status=form.cleaned_data["status"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Candidature mise à jour."))
                return HttpResponseRedirect(reverse("volunteers:candidate_detail", args=[pk]))
        status = 400
    skills = [str(Skill(s).label) for s in candidate.skills if s in Skill.values]
    return render(
        request,
        "volunteers/recruitment/candidate_detail.html",
        {"candidate": candidate, "form": form, "skills": skills},
        status=status,
    )


@access(permissions.MANAGERS)
@require_POST
def candidate_invite(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.get_candidate_or_404(request, pk)
    try:
        services.invite_candidate(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            candidate=candidate,
            accept_url_builder=lambda token: request.build_absolute_uri(
                reverse("accounts:accept_invitation", kwargs={"token": token})
            ),
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Invitation envoyée à %(email)s : la personne crée son compte de bénévole.")
            % {"email": candidate.email},
        )
    return HttpResponseRedirect(reverse("volunteers:candidate_detail", args=[pk]))
