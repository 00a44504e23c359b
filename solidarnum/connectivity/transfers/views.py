"""Transfers of cards and codes between reception points."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import permissions, selectors
from solidarnum.connectivity.models import CodeTransfer
from solidarnum.connectivity.paging import page_of

from . import services
from .forms import ReceiveForm, SendForm
from .selectors import transfers_for


@access(permissions.STOCK_READERS)
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "connectivity/transfers/transfer_list.html",
        {
            "page": page_of(request, transfers_for(scope)),
            "can_send": permissions.STOCK_KEEPERS.allows(scope),
        },
    )


def _send_form(request: HttpRequest, data: Any = None) -> SendForm:
    scope = scope_of(request)
    return SendForm(
        data,
        places=selectors.other_places(scope.reception_point_id or 0),
        offers=selectors.offers(),
    )


@access(permissions.STOCK_KEEPERS)
@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    place = selectors.get_place_or_404(request, scope.reception_point_id or 0)
    form = _send_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = services.send_codes(
                acting_user=acting_user_of(request),
                scope=scope,
                from_point=place,
                to_point=data["to_point"],
                offer=data["offer"],
                quantity=data["quantity"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Transfert %(ref)s envoyé.") % {"ref": transfer.reference})
            return HttpResponseRedirect(_detail_url(transfer))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "connectivity/transfers/transfer_form.html", {"form": form}, status=status
    )


def _detail_url(transfer: CodeTransfer) -> str:
    return reverse("connectivity:transfer_detail", kwargs={"pk": transfer.pk})


@access(permissions.STOCK_READERS)
@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(transfers_for(scope_of(request)), pk=pk)
    return _detail(request, transfer, ReceiveForm(initial={"received": transfer.quantity}))


def _detail(
    request: HttpRequest, transfer: CodeTransfer, form: ReceiveForm, status: int = 200
) -> HttpResponse:
    can_receive = transfer.status == "in_transit" and permissions.is_site_staff_of(
        scope_of(request), transfer.to_point_id
    )
    return render(
        request,
        "connectivity/transfers/transfer_detail.html",
        {"transfer": transfer, "form": form, "can_receive": can_receive},
        status=status,
    )


@access(permissions.STOCK_KEEPERS)
@require_POST
def transfer_receive(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(transfers_for(scope_of(request)), pk=pk)
    form = ReceiveForm(request.POST)
    if form.is_valid():
        try:
            services.receive_codes(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                transfer=transfer,
                received=form.cleaned_data["received"],
                discrepancy_note=form.cleaned_data["discrepancy_note"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Transfert reçu."))
            return HttpResponseRedirect(_detail_url(transfer))
    return _detail(request, transfer, form, 400)
