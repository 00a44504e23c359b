"""The volunteer check at the reception point: find the device by its serial, answer the checklist.

Phone-first: the check is one screen with big touch targets, opened by scanning or typing the
serial. Views stay thin: devices come from the scoped selectors (another site's answers 404),
the check goes through `services`, and a refused check is shown as its French message.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from solidarnum.accounts.access import access
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.lists import LazyPaginator
from solidarnum.equipment import permissions, selectors
from solidarnum.equipment.devices.tables import specs_of
from solidarnum.equipment.enums import ErasureState, Status
from solidarnum.equipment.models import Device

from . import selectors as check_selectors
from . import services
from .forms import (
    DeviceCheckForm,
    DeviceLookupForm,
)

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


@access(permissions.CHECKERS)
@require_GET
def device_check_lookup(request: HttpRequest) -> HttpResponse:
    """Scan or type a serial number or IMEI to open the device's check."""
    scope = scope_of(request)
    context: dict[str, Any] = {"can_check": scope.can_check_devices}
    if not scope.can_check_devices:
        # No form: explain who can give the skill.
        context["is_manager"] = scope.role == Role.SITE_MANAGER
        return render(request, "equipment/checks/lookup.html", context)
    code = request.GET.get("code", "")
    form = DeviceLookupForm({"code": code} if code.strip() else None)
    if form.is_valid():
        device = selectors.find_device(scope, form.cleaned_data["code"])
        if device is not None:
            return HttpResponseRedirect(reverse("equipment:device_check", kwargs={"pk": device.pk}))
        form.add_error("code", NOT_FOUND)
    context.update(form=form, page=_paginate(request, check_selectors.to_check_at_site(scope)))
    return render(request, "equipment/checks/lookup.html", context)


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
        "device_url": reverse("equipment:device_detail", kwargs={"pk": device.pk}),
        "erasure_state": erasure,
        "has_erasure": erasure != ErasureState.NONE,
        "battery_threshold": settings.EQUIPMENT_BATTERY_MIN_PERCENT,
    }
    refusal = _check_refusal(scope, device)
    if refusal is not None:
        context["refusal"] = refusal
        status = 403 if request.method == "POST" else 200
        return render(request, "equipment/checks/check.html", context, status=status)
    form = DeviceCheckForm(request.POST if request.method == "POST" else None, device=device)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                check = services.record_check(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    device=device,
                    answers=form.answers(),
                    battery_health=form.cleaned_data.get("battery_health"),
                    grade=form.cleaned_data["grade"],
                    comment=form.cleaned_data["comment"],
                )
            except ServiceError as error:
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
                return HttpResponseRedirect(reverse("equipment:device_check_lookup"))
        messages.error(request, NOT_SAVED)
    context["form"] = form
    return render(request, "equipment/checks/check.html", context, status=status)
