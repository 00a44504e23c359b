"""Workshop pages: the site's workshops and a new one, one workshop (registrations, waiting
list, attendance), its activity record with anonymous participants."""

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
from solidarnum.support import permissions, selectors
from solidarnum.support.enums import RegistrationStatus
from solidarnum.support.models import Workshop
from solidarnum.support.permanences.selectors import bookable_people_for
from solidarnum.support.records import services as records
from solidarnum.support.records.forms import RecordForm
from solidarnum.support.records.selectors import places_to_redirect, structures_to_redirect

from . import services
from .forms import AnonymousFormSet, RegisterForm, WorkshopForm

NOT_SAVED = _("Rien n'a été enregistré : %(why)s")


@access(permissions.TEAM)
@require_http_methods(["GET", "POST"])
def workshop_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    site_id = scope.reception_point_id or 0
    is_staff = scope.role in permissions.SITE_STAFF
    form = WorkshopForm(request.POST or None, team=selectors.team_proposal_labels(site_id))
    status = 200
    if request.method == "POST":
        if not is_staff:
            return HttpResponse(status=403)
        if form.is_valid():
            starts_at, ends_at = form.moments()
            data = form.cleaned_data
            try:
                workshop = services.create_workshop(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    reception_point=scope.membership.reception_point,  # type: ignore[union-attr,arg-type]
                    title=data["title"],
                    theme=data["theme"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    capacity=data["capacity"],
                    animators=list(selectors.team_users(site_id).filter(pk__in=data["animators"])),
                    room=data["room"],
                    is_outside=data["is_outside"],
                    address=data["address"],
                )
                messages.success(request, _("Atelier créé."))
                return HttpResponseRedirect(
                    reverse("support:workshop_detail", kwargs={"pk": workshop.pk})
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
        status = 400
    workshops = list(selectors.workshop_rows(scope, since=timezone.now())[:50])
    return render(
        request,
        "support/workshops/workshop_list.html",
        {"workshops": workshops, "form": form if is_staff else None},
        status=status,
    )


def _detail_context(request: HttpRequest, workshop: Workshop) -> dict[str, object]:
    scope = scope_of(request)
    registrations = list(selectors.registrations_of(workshop.pk))
    animators = list(workshop.animators.all())
    return {
        "workshop": workshop,
        "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        "animators": animators,
        "is_staff": permissions.is_staff_of(scope, workshop.reception_point_id),
        "can_run": permissions.can_run(
            scope,
            reception_point_id=workshop.reception_point_id,
            animator_ids={u.pk for u in animators},
        ),
        "started": workshop.starts_at <= timezone.now(),
        "cancelled": workshop.cancelled_at is not None,
        "has_record": selectors.workshop_has_record(workshop.pk),
        "register_form": RegisterForm(people=bookable_people_for(scope)),
    }


@access(permissions.TEAM)
@require_GET
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.get_workshop_or_404(request, pk)
    return render(
        request, "support/workshops/workshop_detail.html", _detail_context(request, workshop)
    )


@access(permissions.STAFF)
@require_POST
def workshop_register(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.get_workshop_or_404(request, pk)
    scope = scope_of(request)
    form = RegisterForm(request.POST, people=bookable_people_for(scope))
    if form.is_valid():
        try:
            registration = services.register_person(
                acting_user=acting_user_of(request),
                scope=scope,
                workshop=workshop,
                beneficiary=form.cleaned_data["beneficiary"],
            )
            if registration.status == RegistrationStatus.WAITING:
                messages.warning(
                    request, _("Atelier complet : la personne est sur la liste d'attente.")
                )
            else:
                messages.success(request, _("Personne inscrite."))
            return HttpResponseRedirect(reverse("support:workshop_detail", kwargs={"pk": pk}))
        except ServiceError as error:
            form.add_error(None, NOT_SAVED % {"why": error})
    context = _detail_context(request, workshop)
    context["register_form"] = form
    return render(request, "support/workshops/workshop_detail.html", context, status=400)


@access(permissions.STAFF)
@require_POST
def workshop_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.get_workshop_or_404(request, pk)
    try:
        told = services.cancel_workshop(
            acting_user=acting_user_of(request), scope=scope_of(request), workshop=workshop
        )
        messages.success(
            request,
            _("Atelier annulé ; personnes inscrites prévenues : %(count)s.") % {"count": told},
        )
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
    return HttpResponseRedirect(reverse("support:workshop_detail", kwargs={"pk": pk}))


@access(permissions.STAFF)
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.get_registration_or_404(request, pk)
    promoted = services.cancel_registration(
        acting_user=acting_user_of(request), scope=scope_of(request), registration=registration
    )
    if promoted is not None:
        messages.success(
            request,
            _("Inscription annulée : %(name)s, qui attendait, a la place.")
            % {"name": promoted.beneficiary.full_name},
        )
    else:
        messages.success(request, _("Inscription annulée."))
    return HttpResponseRedirect(
        reverse("support:workshop_detail", kwargs={"pk": registration.workshop_id})
    )


@access(permissions.TEAM)
@require_POST
def workshop_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.get_workshop_or_404(request, pk)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    try:
        came = services.take_workshop_attendance(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            workshop=workshop,
            present_ids=present,
        )
        messages.success(request, _("Présences notées : %(n)d personnes venues.") % {"n": came})
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
    return HttpResponseRedirect(reverse("support:workshop_detail", kwargs={"pk": pk}))


@access(permissions.TEAM)
@require_http_methods(["GET", "POST"])
def workshop_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The workshop's activity record, anonymous participants included."""
    workshop = selectors.get_workshop_or_404(request, pk)
    scope = scope_of(request)
    form = RecordForm(
        request.POST or None,
        initial={
            "on": timezone.localtime(workshop.starts_at).date(),
            "duration_minutes": int((workshop.ends_at - workshop.starts_at).total_seconds() // 60),
            "themes": [workshop.theme],
            "material": ["ordinateur"],
        },
        places=places_to_redirect(),
        structures=structures_to_redirect(scope),
        collective=True,
    )
    anonymous = AnonymousFormSet(request.POST or None, prefix="anonymes")
    status = 200
    if request.method == "POST":
        if form.is_valid() and anonymous.is_valid():
            people = [
                records.Anonymous(f["age_band"], f["gender"], f.get("commune", ""))
                for f in anonymous.cleaned_data
                if f and f.get("age_band")
            ]
            try:
                records.record_workshop(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    workshop=workshop,
                    details=form.details(),
                    anonymous=people,
                )
                messages.success(request, _("Compte-rendu enregistré. Merci !"))
                return HttpResponseRedirect(reverse("support:workshop_detail", kwargs={"pk": pk}))
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
        status = 400
    return render(
        request,
        "support/workshops/workshop_record.html",
        {"form": form, "anonymous": anonymous, "workshop": workshop},
        status=status,
    )
