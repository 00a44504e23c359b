"""Permanence pages: the site's weekly slots, booking from the agenda or from the person's file,
an appointment (statuses, cancelling, its .ics, the link to the person's own page in `public/`),
the waiting list, the référent's bookings."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.autocomplete import suggestions
from solidarnum.common.errors import ServiceError
from solidarnum.support import ics, permissions, reminders, selectors
from solidarnum.support.enums import AppointmentStatus, SessionKind
from solidarnum.support.models import Appointment, SlotPattern

from . import forms, services
from .selectors import (
    bookable_people_for,
    flagged_ids,
    free_slots,
    occurrence,
    referents_may_book,
    runs_on,
)

NOT_SAVED = _("Rien n'a été enregistré : %(why)s")


def _slot_from_key(request: HttpRequest, key: str) -> tuple[SlotPattern, datetime]:
    """ "<pattern>:<local start>" as the forms post it."""
    pattern_id, _sep, moment = key.partition(":")
    try:
        local = datetime.fromisoformat(moment)
        pattern = selectors.get_slot_pattern_or_404(request, int(pattern_id))
    except ValueError as error:
        raise Http404 from error
    return pattern, timezone.make_aware(local) if timezone.is_naive(local) else local


def _slot_for_person(
    pattern_id: int, moment: str, people_site: int
) -> tuple[SlotPattern, datetime] | None:
    found = selectors.slot_pattern_of_site(people_site, pattern_id)
    if found is None:
        return None
    try:
        local = datetime.fromisoformat(moment)
    except ValueError:
        return None
    return found, timezone.make_aware(local) if timezone.is_naive(local) else local


# --- Weekly slots -------------------------------------------------------------------------------


@access(permissions.STAFF)
@require_http_methods(["GET", "POST"])
def slot_list(request: HttpRequest) -> HttpResponse:
    """The site's weekly slots, a form for a new one, the référent booking setting."""
    scope = scope_of(request)
    form = forms.SlotPatternForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.create_slot_pattern(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    reception_point=scope.membership.reception_point,  # type: ignore[union-attr,arg-type]
                    **form.cleaned_data,
                )
                messages.success(request, _("Créneau ajouté."))
                return HttpResponseRedirect(reverse("support:slot_list"))
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
        status = 400
    today = timezone.localdate()
    patterns = list(
        selectors.slot_patterns_for(scope)
        .filter(is_active=True)
        .exclude(valid_until__lt=today)
        .prefetch_related("exceptions")
    )
    return render(
        request,
        "support/permanences/slot_list.html",
        {
            "patterns": patterns,
            "form": form,
            "exception_form": forms.SlotExceptionForm(),
            "is_manager": scope.role == Role.SITE_MANAGER,
            "referents_may_book": referents_may_book(scope.reception_point_id or 0),
        },
        status=status,
    )


@access(permissions.STAFF)
@require_POST
def slot_exception(request: HttpRequest, pk: int) -> HttpResponse:
    pattern = selectors.get_slot_pattern_or_404(request, pk)
    form = forms.SlotExceptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rien n'a été enregistré : indiquez la date."))
        return HttpResponseRedirect(reverse("support:slot_list"))
    try:
        services.add_slot_exception(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            pattern=pattern,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Ce jour-là, le créneau n'aura pas lieu."))
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
    return HttpResponseRedirect(reverse("support:slot_list"))


@access(permissions.MANAGERS)
@require_POST
def referent_booking_setting(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    allowed = request.POST.get("allowed") == "1"
    try:
        services.set_referent_booking(
            acting_user=acting_user_of(request),
            scope=scope,
            reception_point=scope.membership.reception_point,  # type: ignore[union-attr,arg-type]
            allowed=allowed,
        )
        messages.success(
            request,
            _("Les référents peuvent réserver une permanence.")
            if allowed
            else _("Les référents ne réservent plus de permanence."),
        )
    except ServiceError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("support:slot_list"))


# --- Booking ------------------------------------------------------------------------------------


@access(permissions.STAFF)
@require_GET
def person_suggestions(request: HttpRequest) -> HttpResponse:
    return suggestions(
        request,
        bookable_people_for(scope_of(request)).order_by("last_name", "first_name"),
        search_fields=("last_name", "first_name"),
        label=lambda b: f"{b.first_name} {b.last_name}",
        hint=lambda b: str(b.birth_year),
    )


@access(permissions.STAFF)
@require_http_methods(["GET", "POST"])
def slot_book(request: HttpRequest, pk: int, moment: str) -> HttpResponse:
    """From the agenda: who comes to this free slot, with whom; the waiting list first."""
    scope = scope_of(request)
    pattern, starts_at = _slot_from_key(request, f"{pk}:{moment}")
    local = timezone.localtime(starts_at)
    if not runs_on(pattern, local.date()) or occurrence(pattern, local.date())[0] != starts_at:
        raise Http404
    ends_at = starts_at + pattern.duration
    people = bookable_people_for(scope)
    initial = {}
    waiting = list(selectors.waiting_for(scope)[:10])
    chosen = request.GET.get("personne")
    if chosen:
        person = people.filter(public_id=chosen).first() if _is_uuid(chosen) else None
        if person is not None:
            initial["beneficiary"] = person
    # The person chosen ranks the proposals: their languages, their previous volunteer.
    proposals = selectors.proposals_for(
        pattern.reception_point_id,
        starts_at,
        ends_at,
        skill=SessionKind.ONE_TO_ONE,
        person=initial.get("beneficiary"),
    )
    form = forms.SlotBookingForm(
        request.POST or None, people=people, proposals=proposals, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            volunteer = (
                selectors.team_users(pattern.reception_point_id)
                .filter(pk=form.cleaned_data["volunteer"])
                .first()
            )
            try:
                appointment = services.book_appointment(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    beneficiary=form.cleaned_data["beneficiary"],
                    pattern=pattern,
                    starts_at=starts_at,
                    volunteer=volunteer,
                    what_to_bring=form.cleaned_data["what_to_bring"],
                )
                messages.success(request, _("Permanence réservée : la personne est prévenue."))
                return HttpResponseRedirect(
                    reverse("support:appointment_detail", kwargs={"pk": appointment.pk})
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
        status = 400
    return render(
        request,
        "support/permanences/slot_book.html",
        {
            "pattern": pattern,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "form": form,
            "waiting": waiting,
            "moment": moment,
        },
        status=status,
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@access(permissions.BOOKERS)
@require_http_methods(["GET", "POST"])
def person_book(request: HttpRequest, public_id: str) -> HttpResponse:
    """From the person's file (staff) or the référent's list: a free slot of their site."""
    scope = scope_of(request)
    person = selectors.get_bookable_person_or_404(request, public_id)
    slots = free_slots(person.reception_point_id)
    choices = [
        (slot.key, f"{timezone.localtime(slot.starts_at):%d/%m/%Y %H:%M} · {slot.pattern.room}")
        for slot in slots[:40]
    ]
    is_staff = scope.role in permissions.SITE_STAFF
    proposals = selectors.team_proposal_labels(person.reception_point_id) if is_staff else None
    form = forms.PersonBookingForm(request.POST or None, slots=choices, proposals=proposals)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            pattern_id, _sep, moment = form.cleaned_data["slot"].partition(":")
            found = _slot_for_person(int(pattern_id), moment, person.reception_point_id)
            volunteer_id = form.cleaned_data.get("volunteer")
            volunteer = (
                selectors.team_users(person.reception_point_id).filter(pk=volunteer_id).first()
                if volunteer_id
                else None
            )
            try:
                if found is None:
                    raise ServiceError(_("Ce créneau n'existe plus : choisissez-en un autre."))
                appointment = services.book_appointment(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    beneficiary=person,
                    pattern=found[0],
                    starts_at=found[1],
                    volunteer=volunteer,
                    what_to_bring=form.cleaned_data["what_to_bring"],
                )
                messages.success(request, _("Permanence réservée : la personne est prévenue."))
                return HttpResponseRedirect(
                    reverse("support:appointment_detail", kwargs={"pk": appointment.pk})
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
        status = 400
    return render(
        request,
        "support/permanences/person_book.html",
        {"person": person, "form": form, "is_staff": is_staff},
        status=status,
    )


# --- One appointment ----------------------------------------------------------------------------


def _can_run(request: HttpRequest, appointment: Appointment) -> bool:
    return permissions.can_run(
        scope_of(request),
        reception_point_id=appointment.reception_point_id,
        animator_ids={appointment.volunteer_id},
    )


@access(permissions.SESSION_READERS)
@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_or_404(request, pk)
    scope = scope_of(request)
    is_staff = permissions.is_staff_of(scope, appointment.reception_point_id)
    can_cancel = appointment.status == AppointmentStatus.UPCOMING and (
        is_staff or (scope.role == Role.REFERENT and appointment.booked_by_referent)
    )
    started = appointment.starts_at <= timezone.now()
    person_link = reverse("support:appointment_public", kwargs={"token": appointment.public_token})
    return render(
        request,
        "support/permanences/appointment_detail.html",
        {
            "appointment": appointment,
            "can_run": _can_run(request, appointment),
            "can_cancel": can_cancel,
            "can_move": is_staff and appointment.status == AppointmentStatus.UPCOMING,
            "started": started,
            "flagged": appointment.beneficiary_id in flagged_ids([appointment.beneficiary_id]),
            "is_referent": scope.role == Role.REFERENT,
            "has_record": selectors.has_record(appointment),
            "person_link": person_link,
            # The address the SMS carries.
            "person_link_full": reminders.page_url(appointment)
            or request.build_absolute_uri(person_link),
            "can_resend": is_staff
            and appointment.status == AppointmentStatus.UPCOMING
            and not started,
        },
    )


@access(permissions.STAFF)
@require_POST
def appointment_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """The link to the person's page again, by SMS (or e-mail)."""
    appointment = selectors.get_appointment_or_404(request, pk)
    try:
        services.resend_appointment_link(
            acting_user=acting_user_of(request), scope=scope_of(request), appointment=appointment
        )
        messages.success(request, _("Lien renvoyé à la personne."))
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
    return HttpResponseRedirect(reverse("support:appointment_detail", kwargs={"pk": pk}))


@access(permissions.TEAM)
@require_POST
def appointment_status(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_or_404(request, pk)
    form = forms.StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(_("Choisissez venu, excusé ou absent."))
        services.set_appointment_status(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            appointment=appointment,
            status=form.cleaned_data["status"],
        )
        messages.success(request, _("Présence notée."))
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
    return HttpResponseRedirect(reverse("support:appointment_detail", kwargs={"pk": pk}))


@access(permissions.BOOKERS)
@require_POST
def appointment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_or_404(request, pk)
    try:
        services.cancel_appointment(
            acting_user=acting_user_of(request), scope=scope_of(request), appointment=appointment
        )
        messages.success(request, _("Permanence annulée : la personne est prévenue."))
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
    return HttpResponseRedirect(reverse("support:appointment_detail", kwargs={"pk": pk}))


@access(permissions.STAFF)
@require_http_methods(["GET", "POST"])
def appointment_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Another slot or another volunteer; the person gets the new time, never the old one."""
    appointment = selectors.get_appointment_or_404(request, pk)
    site_id = appointment.reception_point_id
    current = timezone.localtime(appointment.starts_at)
    slots: list[tuple[str, str]] = []
    if appointment.pattern_id is not None and appointment.starts_at > timezone.now():
        label = _("Garder le créneau du %(when)s · %(room)s") % {
            "when": f"{current:%d/%m/%Y %H:%M}",
            "room": appointment.room,
        }
        slots.append((f"{appointment.pattern_id}:{current:%Y-%m-%dT%H:%M}", label))
    slots += [
        (slot.key, f"{timezone.localtime(slot.starts_at):%d/%m/%Y %H:%M} · {slot.pattern.room}")
        for slot in free_slots(site_id)[:40]
    ]
    form = forms.MoveForm(
        request.POST or None,
        slots=slots,
        proposals=selectors.team_proposal_labels(site_id),
        initial={"slot": slots[0][0] if slots else None, "volunteer": appointment.volunteer_id},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            pattern_id, _sep, moment = form.cleaned_data["slot"].partition(":")
            found = _slot_for_person(int(pattern_id), moment, site_id)
            volunteer = selectors.team_users(site_id).filter(pk=form.cleaned_data["volunteer"])
            try:
                if found is None:
                    raise ServiceError(_("Ce créneau n'existe plus : choisissez-en un autre."))
                services.move_appointment(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    appointment=appointment,
                    pattern=found[0],
                    starts_at=found[1],
                    volunteer=volunteer.first(),
                )
                messages.success(request, _("Permanence modifiée : la personne est prévenue."))
                return HttpResponseRedirect(
                    reverse("support:appointment_detail", kwargs={"pk": appointment.pk})
                )
            except ServiceError as error:
                form.add_error(None, NOT_SAVED % {"why": error})
        status = 400
    return render(
        request,
        "support/permanences/appointment_move.html",
        {"appointment": appointment, "form": form},
        status=status,
    )


def _ics_response(appointment: Appointment) -> HttpResponse:
    response = HttpResponse(ics.appointment_ics(appointment), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response


@access(permissions.SESSION_READERS)
@require_GET
def appointment_ics(request: HttpRequest, pk: int) -> HttpResponse:
    return _ics_response(selectors.get_appointment_or_404(request, pk))


# --- Waiting list -------------------------------------------------------------------------------


@access(permissions.STAFF)
@require_GET
def waiting_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    entries = list(selectors.waiting_for(scope).order_by("created_at")[:100])
    return render(
        request,
        "support/permanences/waiting_list.html",
        {"entries": entries, "free": free_slots(scope.reception_point_id or 0, days=14)[:10]},
    )


@access(permissions.STAFF)
@require_POST
def person_wait(request: HttpRequest, public_id: str) -> HttpResponse:
    person = selectors.get_bookable_person_or_404(request, public_id)
    form = forms.WaitingForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.add_to_waiting_list(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            beneficiary=person,
            note=note,
        )
        messages.success(request, _("Personne ajoutée à la liste d'attente."))
    except ServiceError as error:
        messages.error(request, NOT_SAVED % {"why": error})
    return HttpResponseRedirect(reverse("support:waiting_list"))


@access(permissions.STAFF)
@require_POST
def waiting_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_waiting_entry_or_404(request, pk)
    services.remove_from_waiting_list(
        acting_user=acting_user_of(request), scope=scope_of(request), entry=entry
    )
    messages.success(request, _("Personne retirée de la liste d'attente."))
    return HttpResponseRedirect(reverse("support:waiting_list"))


# --- The référent's view ------------------------------------------------------------------------


@access(roles(Role.REFERENT))
@require_GET
def referent_bookings(request: HttpRequest) -> HttpResponse:
    """The bookings of the people the référent referred, and whom they may book."""
    scope = scope_of(request)
    bookings = list(
        selectors.appointments_for(scope)
        .filter(starts_at__gte=timezone.now() - timedelta(days=30))
        .order_by("-starts_at")[:50]
    )
    people = list(bookable_people_for(scope).select_related("reception_point")[:50])
    return render(
        request,
        "support/permanences/referent_bookings.html",
        {"bookings": bookings, "people": people},
    )
