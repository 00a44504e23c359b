"""The volunteer's own profile and availability; the site manager's list, review and week view."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.beneficiaries.labels import language_names
from solidarnum.common.errors import ServiceError
from solidarnum.volunteers import permissions, selectors
from solidarnum.volunteers.enums import Skill, VolunteerStatus, Weekday
from solidarnum.volunteers.forms import AbsenceForm, ProfileForm, ReviewForm, SlotForm
from solidarnum.volunteers.hours import selectors as hours
from solidarnum.volunteers.paging import page_of

from . import services


def skill_names(codes: list[str]) -> list[str]:
    return [str(Skill(code).label) for code in codes if code in Skill.values]


@access(permissions.VOLUNTEERS)
@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    user = acting_user_of(request)
    profile = selectors.profile_of(user)
    return render(
        request,
        "volunteers/profiles/my_profile.html",
        {
            "profile": profile,
            "sites": selectors.volunteer_sites(user),
            "skills": skill_names(profile.skills) if profile else [],
            "spoken": language_names(profile.languages_spoken) if profile else [],
            "read": language_names(profile.languages_read) if profile else [],
        },
    )


@access(permissions.VOLUNTEERS)
@require_http_methods(["GET", "POST"])
def my_profile_edit(request: HttpRequest) -> HttpResponse:
    user = acting_user_of(request)
    profile = selectors.profile_of(user)
    initial = {}
    if profile is not None:
        initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
    form = ProfileForm(request.POST or None, initial=initial or {"contact_channel": "email"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_profile(acting_user=user, data=form.cleaned_data)
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Profil enregistré : le responsable le vérifiera."))
                return HttpResponseRedirect(reverse("volunteers:my_profile"))
        status = 400
    return render(
        request, "volunteers/profiles/my_profile_edit.html", {"form": form}, status=status
    )


@access(permissions.VOLUNTEERS)
@require_POST
def my_status(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("status", "")
    if value not in VolunteerStatus.values:
        messages.error(request, _("Choisissez un statut."))
        return HttpResponseRedirect(reverse("volunteers:my_profile"))
    try:
        services.change_status(acting_user=acting_user_of(request), status=VolunteerStatus(value))
    except ServiceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("volunteers:my_profile"))
    if value == VolunteerStatus.LEFT:
        messages.success(request, _("Merci pour votre engagement. Votre compte est fermé."))
        return HttpResponseRedirect(reverse("accounts:home"))
    messages.success(request, _("Statut enregistré."))
    return HttpResponseRedirect(reverse("volunteers:my_profile"))


def _availability_page(
    request: HttpRequest,
    *,
    slot_form: SlotForm | None = None,
    absence_form: AbsenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting_user_of(request)
    profile = selectors.profile_of(user)
    sites = selectors.volunteer_sites(user)
    return render(
        request,
        "volunteers/profiles/my_availability.html",
        {
            "slots": selectors.slots_of(profile),
            "absences": selectors.absences_of(profile),
            "slot_form": slot_form or SlotForm(sites=sites),
            "absence_form": absence_form or AbsenceForm(),
        },
        status=status,
    )


@access(permissions.VOLUNTEERS)
@require_GET
def my_availability(request: HttpRequest) -> HttpResponse:
    return _availability_page(request)


@access(permissions.VOLUNTEERS)
@require_POST
def slot_add(request: HttpRequest) -> HttpResponse:
    user = acting_user_of(request)
    form = SlotForm(request.POST, sites=selectors.volunteer_sites(user))
    if form.is_valid():
        try:
            services.add_slot(
                acting_user=user,
                reception_point_id=form.cleaned_data["reception_point"].pk,
                weekday=form.cleaned_data["weekday"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Créneau ajouté."))
            return HttpResponseRedirect(reverse("volunteers:my_availability"))
    return _availability_page(request, slot_form=form, status=400)


@access(permissions.VOLUNTEERS)
@require_POST
def slot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    slot = selectors.get_my_slot_or_404(request, pk)
    services.remove_slot(acting_user=acting_user_of(request), slot=slot)
    messages.success(request, _("Créneau retiré."))
    return HttpResponseRedirect(reverse("volunteers:my_availability"))


@access(permissions.VOLUNTEERS)
@require_POST
def absence_add(request: HttpRequest) -> HttpResponse:
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.add_absence(
                acting_user=acting_user_of(request),
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Absence enregistrée."))
            return HttpResponseRedirect(reverse("volunteers:my_availability"))
    return _availability_page(request, absence_form=form, status=400)


@access(permissions.VOLUNTEERS)
@require_POST
def absence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.get_my_absence_or_404(request, pk)
    services.remove_absence(acting_user=acting_user_of(request), absence=absence)
    messages.success(request, _("Absence retirée."))
    return HttpResponseRedirect(reverse("volunteers:my_availability"))


@access(permissions.MANAGERS)
@require_GET
def volunteer_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.volunteers_for(scope_of(request)), 50)
    first, last = hours.month_bounds()
    month = hours.totals(
        start=first,
        end=last,
        site_id=scope_of(request).reception_point_id,
        user_ids=[u.pk for u in page.rows],
    )
    minutes = {user_id: entry.minutes for (user_id, _site), entry in month.items()}
    rows = [
        (user, getattr(user, "volunteer_profile", None), round(minutes.get(user.pk, 0) / 60, 1))
        for user in page.rows
    ]
    return render(request, "volunteers/profiles/volunteer_list.html", {"page": page, "rows": rows})


@access(permissions.MANAGERS)
@require_http_methods(["GET", "POST"])
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.get_volunteer_or_404(request, pk)
    profile = selectors.profile_of(volunteer)
    initial = {}
    if profile is not None:
        initial = {
            "refurbishing": Skill.REFURBISHING in profile.skills,
            "observed_on": profile.observed_on,
            "refurbishing_trained_on": profile.refurbishing_trained_on,
        }
    form = ReviewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_profile(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    volunteer=volunteer,
                    **form.cleaned_data,
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Profil vérifié."))
                return HttpResponseRedirect(reverse("volunteers:volunteer_detail", args=[pk]))
        status = 400
    checklist = []
    if profile is not None:
        checklist = [
            (_("Charte du bénévole signée"), profile.charter_signed_on),
            (_("Première séance en observation"), profile.observed_on),
        ]
        if Skill.REFURBISHING in profile.skills:
            checklist.append((_("Formation au reconditionnement"), profile.refurbishing_trained_on))
    return render(
        request,
        "volunteers/profiles/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "profile": profile,
            "form": form,
            "checklist": checklist,
            "skills": skill_names(profile.skills) if profile else [],
            "spoken": language_names(profile.languages_spoken) if profile else [],
            "read": language_names(profile.languages_read) if profile else [],
            "slots": selectors.slots_of(profile),
            "absences": selectors.absences_of(profile),
        },
        status=status,
    )


def _week_start(request: HttpRequest) -> date:
    try:
        chosen = date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        chosen = timezone.localdate()
    return chosen - timedelta(days=chosen.weekday())


@access(permissions.SITE_STAFF)
@require_GET
def week(request: HttpRequest) -> HttpResponse:
    """Who can come each day of a week at the site: weekly slots minus absences."""
    monday = _week_start(request)
    slots = selectors.week_slots(scope_of(request).reception_point_id)  # type: ignore[arg-type]
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        present = [
            slot
            for slot in slots
            if slot.weekday == day.weekday()
            and not any(a.starts_on <= day <= a.ends_on for a in slot.profile.absences.all())
        ]
        days.append((day, Weekday(day.weekday()).label, present))
    return render(
        request,
        "volunteers/profiles/week.html",
        {
            "days": days,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
        },
    )
