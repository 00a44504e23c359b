"""A sale's page and its corrections: void (in its open session), refund of lines, swap of a
defective code. Staff only for the corrections; volunteers read."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.sales import permissions, selectors
from solidarnum.sales.enums import LineKind, PaymentMethod
from solidarnum.sales.forms import ExchangeForm, ReasonForm, RefundForm
from solidarnum.sales.models import Sale

from . import services


def _choices(sale: Sale) -> list[tuple[int, str]]:
    return [(line.pk, line.label) for line in sale.lines.filter(refund_line__isnull=True)]


def _device_choices(sale: Sale) -> list[tuple[int, str]]:
    return [
        (line.pk, line.label)
        for line in sale.lines.filter(refund_line__isnull=True, kind=LineKind.DEVICE)
    ]


def _exchange_form(sale: Sale) -> ExchangeForm | None:
    choices = _device_choices(sale)
    if not choices:
        return None
    return ExchangeForm(choices=choices, initial={"key": uuid.uuid4()})


@access(permissions.SESSION_READERS)
@require_GET
def sale_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sale = selectors.get_sale_or_404(request, pk)
    lines = list(sale.lines.select_related("refund_line__refund").order_by("id"))
    codes = selectors.current_codes(lines)
    can_correct = permissions.can_correct(scope_of(request), sale.reception_point_id)
    open_session = selectors.open_sessions(scope_of(request)).first()
    return render(
        request,
        "sales/refunds/sale_detail.html",
        {
            "sale": sale,
            "lines": [(line, codes.get(line.pk)) for line in lines],
            "receipts": list(sale.receipts.order_by("id")),
            "can_correct": can_correct,
            "can_void": can_correct and sale.session.is_open and not sale.refunds.exists(),
            "open_session": open_session,
            "refund_form": RefundForm(choices=_choices(sale)) if can_correct else None,
            "exchange_form": _exchange_form(sale) if can_correct else None,
            "reason_form": ReasonForm(),
        },
    )


def _back(sale: Sale) -> HttpResponse:
    return HttpResponseRedirect(reverse("sales:sale_detail", kwargs={"pk": sale.pk}))


@access(permissions.TILL_STAFF)
@require_POST
def sale_void(request: HttpRequest, pk: int) -> HttpResponse:
    sale = selectors.get_sale_or_404(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rien n'a été annulé : dites pourquoi."))
        return _back(sale)
    try:
        services.void_sale(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            sale=sale,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Vente annulée : le ticket d'annulation est émis."))
    except ServiceError as error:
        messages.error(request, str(error))
    return _back(sale)


@access(permissions.TILL_STAFF)
@require_POST
def sale_refund(request: HttpRequest, pk: int) -> HttpResponse:
    sale = selectors.get_sale_or_404(request, pk)
    form = RefundForm(request.POST, choices=_choices(sale))
    session = selectors.open_sessions(scope_of(request)).first()
    if not form.is_valid():
        messages.error(request, _("Rien n'a été remboursé : choisissez les lignes et le motif."))
        return _back(sale)
    if session is None:
        messages.error(request, _("Ouvrez une session de caisse pour rembourser."))
        return _back(sale)
    try:
        services.refund_lines(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            sale=sale,
            session=session,
            line_ids=form.cleaned_data["lines"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Remboursement enregistré, avec son avoir."))
    except ServiceError as error:
        messages.error(request, str(error))
    return _back(sale)


@access(permissions.TILL_STAFF)
@require_POST
def sale_exchange(request: HttpRequest, pk: int) -> HttpResponse:
    """A defective device exchanged for another in one step: one "Ticket d'échange"."""
    sale = selectors.get_sale_or_404(request, pk)
    form = ExchangeForm(request.POST, choices=_device_choices(sale))
    session = selectors.open_sessions(scope_of(request)).first()
    if not form.is_valid():
        messages.error(
            request,
            _("Rien n'a été échangé : choisissez l'appareil rendu, le remplaçant et le motif."),
        )
        return _back(sale)
    if session is None:
        messages.error(request, _("Ouvrez une session de caisse pour faire un échange."))
        return _back(sale)
    device = selectors.replacement_device(sale.reception_point_id, form.cleaned_data["device"])
    if device is None:
        messages.error(
            request,
            _(
                "Aucun appareil disponible ici ne porte ce numéro : vérifiez-le, "
                "rien n'a été échangé."
            ),
        )
        return _back(sale)
    try:
        receipt = services.exchange_device(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            sale=sale,
            line_id=form.cleaned_data["line"],
            device=device,
            session=session,
            method=PaymentMethod(form.cleaned_data["method"]),
            reason=form.cleaned_data["reason"],
            key=form.cleaned_data["key"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return _back(sale)
    messages.success(request, _("Échange enregistré : voici son ticket."))
    return HttpResponseRedirect(reverse("sales:receipt", kwargs={"number": receipt.number}))


@access(permissions.TILL_STAFF)
@require_POST
def line_swap(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    sale = selectors.get_sale_or_404(request, pk)
    row = get_object_or_404(sale.lines.all(), pk=line)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rien n'a été remplacé : dites ce qui ne marche pas."))
        return _back(sale)
    try:
        services.swap_code(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            line=row,
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return _back(sale)
    receipt = sale.receipts.filter(kind="sale").first()
    if receipt is None:
        raise Http404
    messages.success(request, _("Code remplacé : montrez le nouveau code secret depuis le ticket."))
    return HttpResponseRedirect(reverse("sales:receipt", kwargs={"number": receipt.number}))
