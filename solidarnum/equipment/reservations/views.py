"""Reserving a device for a person: from the person's file, or from the device; cancelling.

Phone-first: the check is one screen with big touch targets, opened by scanning or typing the
serial. Views stay thin: devices come from the scoped selectors (another site's answers 404),
writes go through `services`, and a refused action is shown as its French message.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from solidarnum.accounts.access import access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.beneficiaries import file_page
from solidarnum.beneficiaries.filters import search_condition
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.selectors import (
    beneficiaries_for,
    get_beneficiary_or_404,
    with_access_today,
)
from solidarnum.common.errors import ServiceError
from solidarnum.common.lists import LazyPaginator
from solidarnum.equipment import permissions, selectors
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device

from . import selectors as reservation_selectors
from . import services
from .filters import AvailableDeviceFilter
from .forms import (
    CancelReservationForm,
    PersonSearchForm,
    ReserveDeviceForm,
    ReserveForPersonForm,
)
from .tables import PersonToReserveForTable, ReservableDeviceTable

# The national admin never sees people's files, so never reserves for a person.
RESERVERS = roles(Role.SITE_MANAGER, Role.STAFF)
PER_PAGE = 25
NOT_SAVED = gettext_lazy("Le formulaire contient des erreurs : rien n'a été enregistré.")


def device_url(device: Device) -> str:
    return reverse("equipment:device_detail", kwargs={"pk": device.pk})


def _file_url(beneficiary: Beneficiary) -> str:
    """The file's tab that lists the person's devices."""
    return file_page.url_of(beneficiary, file_page.EQUIPMENT)


# --- Reservation from the person's file ----------------------------------------------------------


def has_current_access(beneficiary: Beneficiary) -> bool:
    """Same rule as `services.reserve`: an access period covering today."""
    today = timezone.localdate()
    return any(
        period.starts_on <= today <= period.effective_end
        for period in beneficiary.access_periods.all()
    )


def _reserved_message(device: Device, beneficiary: Beneficiary) -> str:
    assert device.reserved_until is not None
    return _("%(device)s réservé pour %(name)s jusqu'au %(date)s.") % {
        "device": f"{device.get_kind_display()} {device.label}",
        "name": beneficiary.full_name,
        "date": formats.date_format(timezone.localtime(device.reserved_until), "SHORT_DATE_FORMAT"),
    }


def _reserve(
    request: HttpRequest, device: Device, beneficiary: Beneficiary, days: int | None
) -> Device:
    """The service writes the audit row of a change made to a person's equipment."""
    return services.reserve(
        acting_user=acting_user_of(request),
        scope=scope_of(request),
        device=device,
        beneficiary=beneficiary,
        days=days,
    )


@access(RESERVERS)
@require_http_methods(["GET", "POST"])
def device_reserve(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The site's available devices, each with a "Réserver" button for this person."""
    scope = scope_of(request)
    beneficiary = get_beneficiary_or_404(request, str(public_id))
    if beneficiary.merged_into_id is not None:
        assert beneficiary.merged_into is not None
        return HttpResponseRedirect(
            reverse(
                "equipment:device_reserve", kwargs={"public_id": beneficiary.merged_into.public_id}
            )
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
                    device = _reserve(request, device, beneficiary, form.cleaned_data["days"])
                except ServiceError as error:
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
            request.GET or None,
            queryset=reservation_selectors.available_at_site(scope),
            request=request,
        )
        table = ReservableDeviceTable(devices.qs)
        RequestConfig(
            request, paginate={"paginator_class": LazyPaginator, "per_page": PER_PAGE}
        ).configure(table)
        context.update(filter=devices, table=table)
    return render(request, "equipment/reservations/reserve.html", context, status=status)


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
                device = _reserve(request, device, beneficiary, form.cleaned_data["days"])
            except ServiceError as error:
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
        people = with_access_today(scope)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        if query:
            condition = search_condition(query, with_phone=True)
            people = people.filter(condition) if condition is not None else people.none()
        table = PersonToReserveForTable(people)
        RequestConfig(
            request, paginate={"paginator_class": LazyPaginator, "per_page": PER_PAGE}
        ).configure(table)
        context["table"] = table
    return render(request, "equipment/reservations/reserve_for_person.html", context, status=status)


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
        services.cancel_reservation(acting_user=acting_user_of(request), scope=scope, device=device)
    except ServiceError as error:
        messages.error(request, str(error))
        return render(
            request,
            "equipment/reservations/refused.html",
            {"device": device, "back_url": next_url or device_url(device)},
            status=400,
        )
    messages.success(
        request, _("La réservation est annulée : l'appareil est de nouveau disponible.")
    )
    if next_url is None:
        next_url = _file_url(beneficiary) if beneficiary else device_url(device)
    return HttpResponseRedirect(next_url or reverse("equipment:device_check_lookup"))
