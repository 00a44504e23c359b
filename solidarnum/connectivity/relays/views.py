"""Relais numériques. The reception point's pages (its relays, consigning, taking back, the
monthly statement, its validation and payment) show counts and amounts only; the relay
operator's pages (its stock, the sale screen, its own sales) are made for a phone (ADR 0029)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.pdf import render_pdf
from solidarnum.connectivity import permissions, selectors
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.paging import page_of
from solidarnum.network.models import PartnerStructure

from . import selectors as relay_selectors
from . import services
from .forms import ConsignForm, PaymentForm, RelaySaleForm, ReturnForm

# --- The reception point's side ------------------------------------------------------------------


@access(permissions.RELAY_MANAGERS)
@require_GET
def relay_list(request: HttpRequest) -> HttpResponse:
    relays = selectors.relays_for(scope_of(request)).annotate(
        consigned=Count("consigned_codes", filter=Q(consigned_codes__status=CodeStatus.CONSIGNED))
    )
    page = page_of(request, relays.order_by("name"))
    return render(request, "connectivity/relays/relay_list.html", {"page": page})


def _relay_context(
    request: HttpRequest, relay: PartnerStructure, **forms: object
) -> dict[str, object]:
    today = timezone.localdate()
    held = selectors.consigned_by_offer(relay.pk)
    return {
        "relay": relay,
        "held": held,
        "figures": relay_selectors.statement_figures(relay.pk, today),
        "statements": list(relay_selectors.statements_of(relay.pk)[:24]),
        "consignments": list(relay_selectors.consignments_of(relay.pk)[:10]),
        "can_manage": permissions.can_manage_relay(scope_of(request), relay.reception_point_id),
        "consign_form": forms.get("consign_form") or ConsignForm(offers=selectors.offers()),
        "return_form": forms.get("return_form")
        or ReturnForm(offers=selectors.offers_with_ids([o.pk for o, _n in held])),
        "last_month": relay_selectors.month_bounds(today.replace(day=1) - timedelta(days=1))[0],
    }


@access(permissions.RELAY_MANAGERS)
@require_GET
def relay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    relay = selectors.get_relay_or_404(request, pk)
    return render(request, "connectivity/relays/relay_detail.html", _relay_context(request, relay))


def _to_relay(relay: PartnerStructure) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("connectivity:relay_detail", kwargs={"pk": relay.pk}))


@access(permissions.RELAY_MANAGERS)
@require_POST
def relay_consign(request: HttpRequest, pk: int) -> HttpResponse:
    relay = selectors.get_relay_or_404(request, pk)
    form = ConsignForm(request.POST, offers=selectors.offers())
    if form.is_valid():
        data = form.cleaned_data
        try:
            consignment = services.consign_codes(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                reception_point=relay.reception_point,
                relay=relay,
                offer=data["offer"],
                quantity=data["quantity"],
                note=data["note"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s « %(offer)s » confié à %(relay)s (dépôt %(ref)s).",
                    "%(count)s « %(offer)s » confiés à %(relay)s (dépôt %(ref)s).",
                    consignment.quantity,
                )
                % {
                    "count": consignment.quantity,
                    "offer": consignment.offer.name,
                    "relay": relay.name,
                    "ref": consignment.reference,
                },
            )
            return _to_relay(relay)
    messages.error(request, _("Rien n'a été confié : corrigez le formulaire."))
    context = _relay_context(request, relay, consign_form=form)
    return render(request, "connectivity/relays/relay_detail.html", context, status=400)


@access(permissions.RELAY_MANAGERS)
@require_POST
def relay_return(request: HttpRequest, pk: int) -> HttpResponse:
    relay = selectors.get_relay_or_404(request, pk)
    form = ReturnForm(request.POST, offers=selectors.offers(include_withdrawn=True))
    if form.is_valid():
        try:
            count = services.return_consigned_codes(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                relay=relay,
                offer=form.cleaned_data["offer"],
                quantity=form.cleaned_data["quantity"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s code repris au relais, de retour en stock.",
                    "%(count)s codes repris au relais, de retour en stock.",
                    count,
                )
                % {"count": count},
            )
            return _to_relay(relay)
    messages.error(request, _("Rien n'a été repris : corrigez le formulaire."))
    context = _relay_context(request, relay, return_form=form)
    return render(request, "connectivity/relays/relay_detail.html", context, status=400)


def _month(year: int, month: int) -> date:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return date(year, month, 1)


def _statement_context(request: HttpRequest, pk: int, year: int, month: int) -> dict[str, object]:
    relay = selectors.get_relay_or_404(request, pk)
    start = _month(year, month)
    scope = scope_of(request)
    statement = relay_selectors.statement_of(relay.pk, start)
    _start, end = relay_selectors.month_bounds(start)
    return {
        "relay": relay,
        "month": start,
        "figures": relay_selectors.statement_figures(relay.pk, start),
        "statement": statement,
        "is_finished": end <= timezone.localdate(),
        "can_manage": permissions.can_manage_relay(scope, relay.reception_point_id),
        "payment_form": PaymentForm(
            initial={
                "amount": statement.amount_due if statement else None,
                "paid_on": timezone.localdate(),
            }
        ),
        "generated_on": timezone.localdate(),
    }


@access(permissions.STATEMENT_READERS)
@require_GET
def relay_statement(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    context = _statement_context(request, pk, year, month)
    return render(request, "connectivity/relays/statement.html", context)


@access(permissions.STATEMENT_READERS)
@require_GET
def relay_statement_pdf(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    context = _statement_context(request, pk, year, month)
    pdf = render_pdf(
        "connectivity/relays/statement_pdf.html",
        context,
        request,
        stylesheets=["connectivity/relays/statement_pdf.css"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="releve-relais-{pk}-{year}-{month:02d}.pdf"'
    )
    return response


def _to_statement(pk: int, month: date) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse(
            "connectivity:relay_statement",
            kwargs={"pk": pk, "year": month.year, "month": month.month},
        )
    )


@access(permissions.RELAY_MANAGERS)
@require_POST
def relay_statement_validate(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    relay = selectors.get_relay_or_404(request, pk)
    start = _month(year, month)
    try:
        services.validate_statement(
            acting_user=acting_user_of(request), scope=scope_of(request), relay=relay, month=start
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Relevé validé : le montant dû est arrêté."))
    return _to_statement(relay.pk, start)


@access(permissions.RELAY_MANAGERS)
@require_POST
def relay_statement_payment(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    relay = selectors.get_relay_or_404(request, pk)
    start = _month(year, month)
    statement = relay_selectors.statement_of(relay.pk, start)
    if statement is None:
        raise Http404
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_payment(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                statement=statement,
                amount=data["amount"],
                paid_on=data["paid_on"],
                reference=data["reference"],
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Paiement enregistré."))
            return _to_statement(relay.pk, start)
    else:
        messages.error(request, _("Paiement non enregistré : corrigez le formulaire."))
    context = _statement_context(request, pk, year, month)
    context["payment_form"] = form
    return render(request, "connectivity/relays/statement.html", context, status=400)


# --- The relay operator's side -------------------------------------------------------------------


def _my_relay(request: HttpRequest) -> PartnerStructure:
    return selectors.get_relay_or_404(request, scope_of(request).partner_structure_id or 0)


def _home(
    request: HttpRequest,
    relay: PartnerStructure,
    form: RelaySaleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    held = selectors.consigned_by_offer(relay.pk)
    offers = selectors.offers_with_ids([offer.pk for offer, _n in held], on_sale_only=True)
    return render(
        request,
        "connectivity/relays/relay_home.html",
        {
            "relay": relay,
            "held": held,
            "form": form or RelaySaleForm(offers=offers, initial={"offer": offers.first()}),
            "today": today,
        },
        status=status,
    )


@access(permissions.RELAY_OPERATORS)
@require_GET
def relay_home(request: HttpRequest) -> HttpResponse:
    return _home(request, _my_relay(request))


@access(permissions.RELAY_OPERATORS)
@require_http_methods(["POST"])
@never_cache
def relay_sale(request: HttpRequest) -> HttpResponse:
    """Records the sale and shows its codes, secrets included, in this answer only."""
    relay = _my_relay(request)
    held = selectors.consigned_by_offer(relay.pk)
    offers = selectors.offers_with_ids([offer.pk for offer, _n in held])
    form = RelaySaleForm(request.POST, offers=offers)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.record_relay_sale(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                offer=data["offer"],
                quantity=data["quantity"],
                buyer_first_name=data["buyer_first_name"],
                buyer_birth_year=data["buyer_birth_year"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                "connectivity/relays/sale_done.html",
                {"relay": relay, "sale": result.sale, "codes": result.codes},
            )
    messages.error(request, _("La vente n'est pas enregistrée : corrigez le formulaire."))
    return _home(request, relay, form, 400)


@access(permissions.RELAY_OPERATORS)
@require_GET
def relay_sales(request: HttpRequest) -> HttpResponse:
    relay = _my_relay(request)
    page = page_of(request, selectors.sales_of_relay(relay.pk))
    today = timezone.localdate()
    return render(
        request,
        "connectivity/relays/relay_sales.html",
        {"relay": relay, "page": page, "today": today},
    )
