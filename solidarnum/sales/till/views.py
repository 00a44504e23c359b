"""The sale screen: find the person, the eligibility banner, the basket, the payment."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.selectors import prices_in_force
from solidarnum.equipment.selectors import price_for
from solidarnum.sales import eligibility, permissions, selectors
from solidarnum.sales.enums import BasketStatus, PaymentMethod
from solidarnum.sales.forms import DeviceScanForm, OfferForm, PaymentForm, SearchForm
from solidarnum.sales.models import Basket, BasketItem, CashSession

from . import services


def _session_of(request: HttpRequest, pk: int) -> CashSession:
    session = selectors.get_session_or_404(request, pk)
    scope = scope_of(request)
    if session.reception_point_id != scope.reception_point_id:
        raise Http404
    return session


@access(permissions.TILL_USERS)
@require_GET
def sale_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: find the person (a scanned voucher code lands here as `q`)."""
    session = _session_of(request, pk)
    form = SearchForm(request.GET or None)
    people = []
    if form.is_valid() and form.cleaned_data["q"]:
        people = list(selectors.find_people(scope_of(request), form.cleaned_data["q"]))
    return render(
        request,
        "sales/till/sale_screen.html",
        {
            "session": session,
            "form": form,
            "people": people,
            "searched": bool(request.GET.get("q")),
            "can_sell": permissions.can_sell(scope_of(request), session.reception_point_id),
        },
    )


@access(permissions.TILL_USERS)
@require_POST
def basket_start(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_of(request, pk)
    back = HttpResponseRedirect(reverse("sales:sale_screen", kwargs={"pk": session.pk}))
    try:
        public_id = uuid.UUID(request.POST.get("person", ""))
    except ValueError:
        messages.error(request, _("Choisissez la personne dans la liste."))
        return back
    person = selectors.find_people(scope_of(request), str(public_id)).first()
    if person is None:
        messages.error(request, _("Cette personne n'est pas suivie par votre point d'accueil."))
        return back
    try:
        basket = services.start_basket(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            session=session,
            beneficiary=person,
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return back
    return HttpResponseRedirect(reverse("sales:basket", kwargs={"key": basket.key}))


def _basket_page(
    request: HttpRequest,
    basket: Basket,
    *,
    payment_form: PaymentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = basket.beneficiary
    today = timezone.localdate()
    facts = eligibility.facts_for(person, today)
    items = selectors.basket_items(basket)
    prices = prices_in_force(today)
    rows: list[tuple[BasketItem, Any, Decimal | None]] = []
    for item in items:
        if item.device is not None:
            rule = price_for(item.device.kind, item.device.grade, today)
            rows.append((item, item.device, rule.amount if rule else None))
        elif item.offer is not None:
            price = prices.get(item.offer.pk)
            rows.append((item, item.offer, price.solidarity_price if price else None))
    total = sum((price for _i, _t, price in rows if price is not None), start=0)
    wanted = eligibility.Wanted(
        offer_ids=tuple(i.offer_id for i in items if i.offer_id),
        device_kinds=tuple(i.device.kind for i in items if i.device),
    )
    query = request.GET.get("appareil", "")
    offers = list(selectors.offers_on_sale())
    return render(
        request,
        "sales/till/basket.html",
        {
            "basket": basket,
            "person": person,
            "facts": facts,
            "period": facts.current_period,
            "blocking": eligibility.decide(facts, eligibility.Wanted()),
            "refusals": eligibility.decide(facts, wanted) if items else [],
            "uses": [facts.offers[o.pk] for o in offers if o.pk in facts.offers],
            "offers": [(o, prices.get(o.pk)) for o in offers],
            "reserved": list(selectors.reserved_devices(person.pk)),
            "available": list(selectors.available_devices(basket.session.reception_point_id, query))
            if permissions.is_staff_of(scope_of(request), basket.session.reception_point_id)
            else [],
            "device_query": query,
            "rows": rows,
            "total": total,
            "payment_form": payment_form or PaymentForm(initial={"method": PaymentMethod.CASH}),
            "is_open": basket.status == BasketStatus.OPEN,
            "is_manager": permissions.is_manager_of(
                scope_of(request), basket.session.reception_point_id
            ),
        },
        status=status,
    )


@access(permissions.TILL_USERS)
@require_GET
def basket(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    found = selectors.get_basket_or_404(request, key)
    if found.status == BasketStatus.SOLD:
        sale = selectors.sales_for(scope_of(request)).filter(idempotency_key=found.key).first()
        if sale is not None:
            receipt = sale.receipts.filter(kind="sale").first()
            if receipt is not None:
                return HttpResponseRedirect(
                    reverse("sales:receipt", kwargs={"number": receipt.number})
                )
    return _basket_page(request, found)


@access(permissions.TILL_USERS)
@require_POST
def basket_add(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    found = selectors.get_basket_or_404(request, key)
    device_form = DeviceScanForm(request.POST)
    offer_form = OfferForm(request.POST)
    try:
        if device_form.is_valid():
            device = get_object_or_404(
                selectors.devices_at(found.session.reception_point_id),
                pk=device_form.cleaned_data["device"],
            )
            services.add_device(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                basket=found,
                device=device,
            )
        elif offer_form.is_valid():
            offer = get_object_or_404(
                selectors.offers_on_sale(), pk=offer_form.cleaned_data["offer"]
            )
            services.add_offer(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                basket=found,
                offer=offer,
            )
        else:
            messages.error(request, _("Choisissez un appareil ou une offre."))
    except ServiceError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("sales:basket", kwargs={"key": found.key}))


@access(permissions.TILL_USERS)
@require_POST
def basket_remove(request: HttpRequest, key: uuid.UUID, item: int) -> HttpResponse:
    found = selectors.get_basket_or_404(request, key)
    row = get_object_or_404(found.items.all(), pk=item)
    try:
        services.remove_item(acting_user=acting_user_of(request), scope=scope_of(request), item=row)
    except ServiceError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("sales:basket", kwargs={"key": found.key}))


@access(permissions.TILL_USERS)
@require_POST
def basket_abandon(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    found = selectors.get_basket_or_404(request, key)
    try:
        services.abandon_basket(
            acting_user=acting_user_of(request), scope=scope_of(request), basket=found
        )
        messages.success(request, _("Panier abandonné : rien n'a été vendu."))
    except ServiceError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("sales:sale_screen", kwargs={"pk": found.session_id}))


@access(permissions.TILL_USERS)
@require_POST
def basket_pay(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    found = selectors.get_basket_or_404(request, key)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Paiement non enregistré : vérifiez le mode et les montants."))
        return _basket_page(request, found, payment_form=form, status=400)
    data = form.cleaned_data
    try:
        sale = services.sell_basket(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            basket_key=found.key,
            payment=services.Payment(
                PaymentMethod(data["method"]),
                tendered=data.get("tendered"),
                free_reason=data.get("free_reason") or "",
            ),
            override_reason=data.get("override_reason") or "",
        )
    except ServiceError as error:
        messages.error(request, _("Rien n'a été vendu. %(why)s") % {"why": error})
        return _basket_page(request, found, payment_form=form, status=400)
    receipt = sale.receipts.get(kind="sale")
    return HttpResponseRedirect(reverse("sales:receipt", kwargs={"number": receipt.number}))
