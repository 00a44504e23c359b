"""Packs maraude: the handovers of a reception point, handing N packs to a structure, and the
handover slip (PDF) the structure signs. The slip lists serial numbers, never a secret code."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.pdf import render_pdf
from solidarnum.connectivity import permissions, selectors
from solidarnum.connectivity.enums import OfferKind
from solidarnum.connectivity.models import PackHandover
from solidarnum.connectivity.paging import page_of

from . import selectors as pack_selectors
from . import services
from .forms import HandPacksForm


@access(permissions.STOCK_READERS)
@require_GET
def pack_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    handovers = pack_selectors.handovers_for(scope)
    raw = request.GET.get("structure", "")
    structure = None
    if raw.isdigit():
        handovers = handovers.filter(structure_id=int(raw))
        structure = handovers.values_list("structure__name", flat=True).first()
    return render(
        request,
        "connectivity/packs/pack_list.html",
        {
            "page": page_of(request, handovers),
            "structure_name": structure,
            "can_hand": permissions.STOCK_KEEPERS.allows(scope),
        },
    )


def _form(request: HttpRequest, place_id: int, data: Any = None) -> HandPacksForm:
    return HandPacksForm(
        data,
        structures=pack_selectors.structures_of(place_id),
        sim_offers=pack_selectors.pack_offers(OfferKind.SIM),
        top_up_offers=pack_selectors.pack_offers(OfferKind.TOP_UP),
    )


@access(permissions.STOCK_KEEPERS)
@require_http_methods(["GET", "POST"])
def pack_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    place = selectors.get_place_or_404(request, scope.reception_point_id or 0)
    form = _form(request, place.pk, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = services.hand_packs(
                acting_user=acting_user_of(request),
                scope=scope,
                reception_point=place,
                structure=data["structure"],
                quantity=data["quantity"],
                sim_offer=data["sim_offer"],
                top_up_offer=data["top_up_offer"],
                note=data["note"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s pack remis à %(structure)s (%(ref)s).",
                    "%(count)s packs remis à %(structure)s (%(ref)s).",
                    handover.quantity,
                )
                % {
                    "count": handover.quantity,
                    "structure": handover.structure.name,
                    "ref": handover.reference,
                },
            )
            return HttpResponseRedirect(
                reverse("connectivity:pack_detail", kwargs={"pk": handover.pk})
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "connectivity/packs/pack_form.html",
        {"form": form, "place": place, "stock": pack_selectors.pack_stock(place.pk)},
        status=status,
    )


def _handover(request: HttpRequest, pk: int) -> PackHandover:
    return get_object_or_404(pack_selectors.handovers_for(scope_of(request)), pk=pk)


@access(permissions.STOCK_READERS)
@require_GET
def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = _handover(request, pk)
    return render(
        request,
        "connectivity/packs/pack_detail.html",
        {"handover": handover, "packs": list(pack_selectors.packs_of(handover.pk))},
    )


@access(permissions.STOCK_READERS)
@require_GET
def pack_slip(request: HttpRequest, pk: int) -> HttpResponse:
    handover = _handover(request, pk)
    context = {
        "handover": handover,
        "packs": list(pack_selectors.packs_of(handover.pk)),
        "generated_on": timezone.localdate(),
    }
    pdf = render_pdf(
        "connectivity/packs/slip_pdf.html",
        context,
        request,
        stylesheets=["connectivity/relays/statement_pdf.css"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bordereau-{handover.reference}.pdf"'
    return response
