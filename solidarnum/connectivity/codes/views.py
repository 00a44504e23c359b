"""The code stock: per place, searched one code at a time, its history; "révéler"."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from solidarnum.accounts.access import access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import permissions, selectors
from solidarnum.connectivity.paging import page_of

from . import services
from .forms import AlertForm, CodeFilterForm, DefectiveForm, RevealForm
from .selectors import stock_lines

CODE_READERS = roles(Role.NATIONAL_ADMIN, *permissions.SITE_TEAM, Role.RELAY_OPERATOR)


@access(permissions.STOCK_READERS)
@require_GET
def stock_overview(request: HttpRequest) -> HttpResponse:
    """National admins: every place's stock, a page of places at a time; a site: its own."""
    scope = scope_of(request)
    if not scope.is_national_admin:
        assert scope.reception_point_id is not None
        return HttpResponseRedirect(
            reverse("connectivity:stock_place", kwargs={"pk": scope.reception_point_id})
        )
    page = page_of(request, selectors.places_for(scope).order_by("name").only("pk", "name"), 10)
    lines = stock_lines([place.pk for place in page.rows])
    return render(
        request,
        "connectivity/codes/stock_overview.html",
        {"page": page, "places": [(place, lines[place.pk]) for place in page.rows]},
    )


@access(permissions.STOCK_READERS)
@require_GET
def stock_place(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.get_place_or_404(request, pk)
    lines = stock_lines([place.pk])[place.pk]
    can_keep = permissions.is_site_staff_of(scope_of(request), place.pk)
    return render(
        request,
        "connectivity/codes/stock_place.html",
        {
            "place": place,
            "lines": lines,
            "low": [line for line in lines if line.is_low],
            "can_keep": can_keep,
            "alert_form": AlertForm(offers=selectors.offers()) if can_keep else None,
        },
    )


@access(permissions.STOCK_KEEPERS)
@require_POST
def stock_alert_set(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.get_place_or_404(request, pk)
    form = AlertForm(request.POST, offers=selectors.offers())
    if not form.is_valid():
        messages.error(request, _("Seuil non enregistré : choisissez une offre et un nombre."))
    else:
        try:
            services.set_stock_alert(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                reception_point=place,
                offer=form.cleaned_data["offer"],
                threshold=form.cleaned_data["threshold"],
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Seuil d'alerte enregistré."))
    return HttpResponseRedirect(reverse("connectivity:stock_place", kwargs={"pk": place.pk}))


@access(CODE_READERS)
@require_GET
def code_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = CodeFilterForm(request.GET or None, offers=selectors.offers(include_withdrawn=True))
    qs = selectors.codes_for(scope).defer("secret_token").select_related("reception_point", "relay")
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(serial__startswith=data["q"].replace(" ", "").upper())
        if data["offer"]:
            qs = qs.filter(offer=data["offer"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    page = page_of(request, qs.order_by("-status_changed_at", "-id"))
    return render(
        request,
        "connectivity/codes/code_list.html",
        {"form": form, "page": page, "query": query},
    )


def _detail_context(request: HttpRequest, pk: int) -> dict[str, object]:
    code = selectors.get_code_or_404(request, pk)
    scope = scope_of(request)
    is_staff = permissions.is_site_staff_of(scope, code.reception_point_id)
    return {
        "code": code,
        "events": list(selectors.code_history(code.pk)[:100]),
        "can_reveal": is_staff and code.has_secret and code.status in services.FINAL_STATUSES,
        "can_declare_defective": is_staff and code.status not in services.FINAL_STATUSES,
        "reveal_form": RevealForm(),
        "defective_form": DefectiveForm(),
    }


@access(CODE_READERS)
@require_GET
def code_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "connectivity/codes/code_detail.html", _detail_context(request, pk))


@access(permissions.REVEALERS)
@require_POST
@never_cache
def code_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the secret in this answer only (never stored in the session, never cached)."""
    context = _detail_context(request, pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        context["reveal_form"] = form
        return render(request, "connectivity/codes/code_detail.html", context, status=400)
    try:
        secret = services.reveal_code(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            code=selectors.get_code_or_404(request, pk),
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("connectivity:code_detail", kwargs={"pk": pk}))
    context = _detail_context(request, pk)
    context["secret"] = secret
    return render(request, "connectivity/codes/code_detail.html", context)


@access(permissions.STOCK_KEEPERS)
@require_POST
def code_defective(request: HttpRequest, pk: int) -> HttpResponse:
    code = selectors.get_code_or_404(request, pk)
    form = DefectiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dites ce qui ne va pas avec cette carte ou ce code."))
    else:
        try:
            services.declare_defective(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                code=code,
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Déclaré défectueux : à remplacer et signaler à l'opérateur.")
            )
    return HttpResponseRedirect(reverse("connectivity:code_detail", kwargs={"pk": pk}))
