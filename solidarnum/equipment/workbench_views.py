"""The workbench: the volunteer check at the reception point, and reserving a device for a person.

Phone-first: the check is one screen with big touch targets, opened by scanning or typing the
serial. Views stay thin: devices come from the scoped selectors (another site's answers 404),
writes go through `services`, and a refused action is shown as its French message.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import LazyPaginator, RequestConfig

from solidarnum.accounts.access import access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.beneficiaries.filters import search_condition
from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary
from solidarnum.beneficiaries.selectors import beneficiaries_for, get_beneficiary_or_404

from . import permissions, selectors, services
from .enums import ErasureState, Status
from .forms_workbench import (
    AvailableDeviceFilter,
    CancelReservationForm,
    DeviceCheckForm,
    DeviceLookupForm,
    PersonSearchForm,
    ReserveDeviceForm,
    ReserveForPersonForm,
)
from .models import Device
from .tables_workbench import PersonToReserveForTable, ReservableDeviceTable, specs_of

# The national admin never sees people's files, so never reserves for a person.
RESERVERS = roles(Role.SITE_MANAGER, Role.STAFF)
PER_PAGE = 25
NOT_SAVED = gettext_lazy("Le formulaire contient des erreurs : rien n'a été enregistré.")
NOT_FOUND = gettext_lazy("Aucun appareil de votre point d'accueil avec ce numéro.")


def _paginate(request: HttpRequest, queryset: QuerySet[Any], param: str = "page") -> Any:
    """One page without COUNT(*); a page number out of range gives the first page."""
    paginator = LazyPaginator(queryset, PER_PAGE)
    try:
        return paginator.page(request.GET.get(param) or 1)
    except InvalidPage:
        return paginator.page(1)


def device_url(device: Device) -> str | None:
    """The device page, when the devices area provides it."""
    try:
        return reverse("device_detail", kwargs={"pk": device.pk})
    except NoReverseMatch:
        return None


def _file_url(beneficiary: Beneficiary) -> str:
    return reverse("beneficiary_detail", kwargs={"public_id": beneficiary.public_id})


# --- Volunteer check -----------------------------------------------------------------------------


def to_check_at_site(scope: Scope) -> QuerySet[Device]:
    """The caller's site's devices waiting for their check, the longest waiting first."""
    return (
        selectors.devices_for(scope)
        .select_related(None)
        .filter(reception_point_id=scope.reception_point_id, status=Status.TO_CHECK)
        .order_by("status_changed_at", "pk")
    )


@access(permissions.CHECKERS)
@require_GET
def device_check_lookup(request: HttpRequest) -> HttpResponse:
    """Scan or type a serial number or IMEI to open the device's check."""
    scope = scope_of(request)
    context: dict[str, Any] = {"can_check": scope.can_check_devices}
    if not scope.can_check_devices:
        # No form: explain who can give the skill.
        context["is_manager"] = scope.role == Role.SITE_MANAGER
        return render(request, "equipment/workbench/lookup.html", context)
    code = request.GET.get("code", "")
    form = DeviceLookupForm({"code": code} if code.strip() else None)
    if form.is_valid():
        device = selectors.find_device(scope, form.cleaned_data["code"])
        if device is not None:
            return HttpResponseRedirect(reverse("device_check", kwargs={"pk": device.pk}))
        form.add_error("code", NOT_FOUND)
    context.update(form=form, page=_paginate(request, to_check_at_site(scope)))
    return render(request, "equipment/workbench/lookup.html", context)


def _check_refusal(scope: Scope, device: Device) -> str | None:
    """Why this person cannot check this device now, or None when they can."""
    if permissions.can_check(scope, device):
        return None
    if device.reception_point_id != scope.reception_point_id:
        return _(
            "Cet appareil n'est pas encore arrivé à votre point d'accueil : réceptionnez "
            "d'abord son transfert."
        )
    if not scope.can_check_devices:
        return _(
            "Le contrôle est réservé aux personnes ayant la « compétence reconditionnement ». "
            "Demandez au responsable du point d'accueil de vous la donner (page Équipe)."
        )
    return _("Cet appareil n'est pas à contrôler (statut : %(status)s).") % {
        "status": Status(device.status).label
    }


@access(permissions.CHECKERS)
@require_http_methods(["GET", "POST"])
def device_check(request: HttpRequest, pk: int) -> HttpResponse:
    """One screen: the device, its checklist, the battery, the grade, a comment."""
    scope = scope_of(request)
    device = selectors.get_device_or_404(request, pk)
    erasure = selectors.erasure_state_of(device.erasures.all())
    context: dict[str, Any] = {
        "device": device,
        "specs": specs_of(device),
        "device_url": device_url(device),
        "erasure_state": erasure,
        "has_erasure": erasure != ErasureState.NONE,
        "battery_threshold": settings.EQUIPMENT_BATTERY_MIN_PERCENT,
    }
    refusal = _check_refusal(scope, device)
    if refusal is not None:
        context["refusal"] = refusal
        status = 403 if request.method == "POST" else 200
        return render(request, "equipment/workbench/check.html", context, status=status)
    form = DeviceCheckForm(request.POST if request.method == "POST" else None, device=device)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                check = services.record_check(
                    scope=scope,
                    device=device,
                    answers=form.answers(),
                    battery_health=form.cleaned_data.get("battery_health"),
                    grade=form.cleaned_data["grade"],
                    comment=form.cleaned_data["comment"],
                )
            except services.ServiceError as error:
                form.add_error(None, str(error))
            else:
                if check.passed:
                    messages.success(
                        request,
                        _("Contrôle réussi : l'appareil est disponible (%(serial)s).")
                        % {"serial": device.serial_number},
                    )
                else:
                    messages.warning(
                        request,
                        _("L'appareil part en réparation : %(points)s (%(serial)s).")
                        % {
                            "points": ", ".join(check.failed_points),
                            "serial": device.serial_number,
                        },
                    )
                return HttpResponseRedirect(reverse("device_check_lookup"))
        messages.error(request, NOT_SAVED)
    context["form"] = form
    return render(request, "equipment/workbench/check.html", context, status=status)


# --- Reservation from the person's file ----------------------------------------------------------


def has_current_access(beneficiary: Beneficiary) -> bool:
    """Same rule as `services.reserve`: an access period covering today."""
    today = timezone.localdate()
    return any(
        period.starts_on <= today <= period.effective_end
        for period in beneficiary.access_periods.all()
    )


def available_at_site(scope: Scope) -> QuerySet[Device]:
    return selectors.with_price_today(
        selectors.devices_for(scope)
        .select_related(None)
        .filter(reception_point_id=scope.reception_point_id, status=Status.AVAILABLE)
        .order_by("kind", "grade", "pk")
    )


def _reserved_message(device: Device, beneficiary: Beneficiary) -> str:
    assert device.reserved_until is not None
    return _("%(device)s réservé pour %(name)s jusqu'au %(date)s.") % {
        "device": f"{device.get_kind_display()} {device.label}",
        "name": beneficiary.full_name,
        "date": formats.date_format(timezone.localtime(device.reserved_until), "SHORT_DATE_FORMAT"),
    }


def _reserve(scope: Scope, device: Device, beneficiary: Beneficiary, days: int | None) -> Device:
    """The service writes the audit row of a change made to a person's equipment."""
    return services.reserve(scope=scope, device=device, beneficiary=beneficiary, days=days)


@access(RESERVERS)
@require_http_methods(["GET", "POST"])
def device_reserve(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The site's available devices, each with a "Réserver" button for this person."""
    scope = scope_of(request)
    beneficiary = get_beneficiary_or_404(request, str(public_id))
    if beneficiary.merged_into_id is not None:
        assert beneficiary.merged_into is not None
        return HttpResponseRedirect(
            reverse("device_reserve", kwargs={"public_id": beneficiary.merged_into.public_id})
        )
    form = ReserveDeviceForm(
        request.POST if request.method == "POST" else None,
        initial={"days": settings.EQUIPMENT_RESERVATION_DAYS},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            device = (
                selectors.devices_for(scope)
                .filter(reception_point_id=scope.reception_point_id)
                .filter(pk=form.cleaned_data["device"])
                .first()
            )
            if device is None:
                messages.error(request, _("Cet appareil n'est pas dans votre point d'accueil."))
            else:
                try:
                    device = _reserve(scope, device, beneficiary, form.cleaned_data["days"])
                except services.ServiceError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, _reserved_message(device, beneficiary))
                    return HttpResponseRedirect(_file_url(beneficiary) + "#equipement")
        else:
            messages.error(request, NOT_SAVED)
    has_access = has_current_access(beneficiary)
    context: dict[str, Any] = {
        "beneficiary": beneficiary,
        "form": form,
        "has_access": has_access,
        "active": beneficiary.anonymised_at is None,
    }
    if has_access and beneficiary.anonymised_at is None:
        devices = AvailableDeviceFilter(
            request.GET or None, queryset=available_at_site(scope), request=request
        )
        table = ReservableDeviceTable(devices.qs)
        RequestConfig(
            request, paginate={"paginator_class": LazyPaginator, "per_page": PER_PAGE}
        ).configure(table)
        context.update(filter=devices, table=table)
    return render(request, "equipment/workbench/reserve.html", context, status=status)


def people_with_access(scope: Scope) -> QuerySet[Beneficiary]:
    """The site's current, active files whose access runs today."""
    today = timezone.localdate()
    running = AccessPeriod.objects.annotate(last_day=Coalesce("ended_early_on", "ends_on")).filter(
        beneficiary=OuterRef("pk"), starts_on__lte=today, last_day__gte=today
    )
    return (
        beneficiaries_for(scope)
        .current()
        .select_related(None)
        .filter(anonymised_at__isnull=True)
        .filter(Exists(running))
    )


@access(RESERVERS)
@require_http_methods(["GET", "POST"])
def device_reserve_for_person(request: HttpRequest, pk: int) -> HttpResponse:
    """From a device: find the person (by name), then "Réserver pour cette personne"."""
    scope = scope_of(request)
    device = selectors.get_device_or_404(request, pk)
    can_reserve = device.status == Status.AVAILABLE and permissions.can_reserve(scope, device)
    form = ReserveForPersonForm(
        request.POST if request.method == "POST" else None,
        initial={"days": settings.EQUIPMENT_RESERVATION_DAYS},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            beneficiary = get_beneficiary_or_404(request, str(form.cleaned_data["beneficiary"]))
            try:
                device = _reserve(scope, device, beneficiary, form.cleaned_data["days"])
            except services.ServiceError as error:
                messages.error(request, str(error))
                device = selectors.get_device_or_404(request, pk)
                can_reserve = device.status == Status.AVAILABLE and permissions.can_reserve(
                    scope, device
                )
            else:
                messages.success(request, _reserved_message(device, beneficiary))
                return HttpResponseRedirect(_file_url(beneficiary) + "#equipement")
        else:
            messages.error(request, NOT_SAVED)
    search = PersonSearchForm(request.GET or None)
    context: dict[str, Any] = {
        "device": device,
        "device_url": device_url(device),
        "can_reserve": can_reserve,
        "form": form,
        "search": search,
    }
    if can_reserve:
        people = people_with_access(scope)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        if query:
            condition = search_condition(query, with_phone=True)
            people = people.filter(condition) if condition is not None else people.none()
        table = PersonToReserveForTable(people)
        RequestConfig(
            request, paginate={"paginator_class": LazyPaginator, "per_page": PER_PAGE}
        ).configure(table)
        context["table"] = table
    return render(request, "equipment/workbench/reserve_for_person.html", context, status=status)


def _safe_next(request: HttpRequest, value: str) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


@access(RESERVERS)
@require_POST
def device_reservation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a reserved device back on sale; back to the page the button was on."""
    scope = scope_of(request)
    device = selectors.get_device_or_404(request, pk)
    form = CancelReservationForm(request.POST)
    next_url = _safe_next(request, form.data.get("next", "")) if form.is_valid() else None
    beneficiary = (
        beneficiaries_for(scope).filter(pk=device.reserved_for_id).first()
        if device.reserved_for_id
        else None
    )
    try:
        services.cancel_reservation(scope=scope, device=device)
    except services.ServiceError as error:
        messages.error(request, str(error))
        return render(
            request,
            "equipment/workbench/refused.html",
            {"device": device, "back_url": next_url or device_url(device)},
            status=400,
        )
    messages.success(
        request, _("La réservation est annulée : l'appareil est de nouveau disponible.")
    )
    if next_url is None:
        next_url = _file_url(beneficiary) if beneficiary else device_url(device)
    return HttpResponseRedirect(next_url or reverse("device_check_lookup"))
