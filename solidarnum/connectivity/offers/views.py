"""The offers catalogue: offers, their prices in force and their history."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import permissions, selectors

from . import services
from .forms import OFFER_FORM_FIELDS, NewOfferForm, OfferForm, OfferPriceForm

FORM_ERRORS = gettext_lazy("Le formulaire contient des erreurs : rien n'a été enregistré.")


@access(permissions.OFFER_READERS)
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    prices = selectors.prices_in_force(today)
    rows = [
        {"offer": offer, "price": prices.get(offer.pk)}
        for offer in selectors.offers(include_withdrawn=True)
    ]
    return render(
        request,
        "connectivity/offers/offer_list.html",
        {
            "rows": rows,
            "today": today,
            "can_set": permissions.OFFER_SETTERS.allows(scope_of(request)),
        },
    )


@access(permissions.OFFER_READERS)
@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.get_offer_or_404(pk)
    today = timezone.localdate()
    return render(
        request,
        "connectivity/offers/offer_detail.html",
        {
            "offer": offer,
            "prices": list(selectors.price_history(offer.pk)),
            "today": today,
            "can_set": permissions.OFFER_SETTERS.allows(scope_of(request)),
        },
    )


def _detail(pk: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("connectivity:offer_detail", kwargs={"pk": pk}))


@access(permissions.OFFER_SETTERS)
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    form = NewOfferForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                offer = services.create_offer(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    solidarity_price=data["solidarity_price"],
                    market_price=data["market_price"],
                    **{name: data[name] for name in OFFER_FORM_FIELDS},
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Offre « %(name)s » ajoutée.") % {"name": offer.name})
                return _detail(offer.pk)
        messages.error(request, FORM_ERRORS)
    return render(
        request,
        "connectivity/offers/offer_form.html",
        {"form": form, "title": _("Nouvelle offre")},
        status=status,
    )


@access(permissions.OFFER_SETTERS)
@require_http_methods(["GET", "POST"])
def offer_update(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.get_offer_or_404(pk)
    form = OfferForm(request.POST if request.method == "POST" else None, instance=offer)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_offer(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    offer=selectors.get_offer_or_404(pk),
                    **{name: form.cleaned_data[name] for name in OFFER_FORM_FIELDS},
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Offre modifiée."))
                return _detail(pk)
        messages.error(request, FORM_ERRORS)
    return render(
        request,
        "connectivity/offers/offer_form.html",
        {"form": form, "offer": offer, "title": _("Modifier l'offre")},
        status=status,
    )


@access(permissions.OFFER_SETTERS)
@require_http_methods(["GET", "POST"])
def offer_price_create(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.get_offer_or_404(pk)
    current = selectors.price_on(offer.pk, timezone.localdate())
    initial: dict[str, object] = {"valid_from": timezone.localdate()}
    if current is not None:
        initial.update(solidarity_price=current.solidarity_price, market_price=current.market_price)
    form = OfferPriceForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                price = services.set_offer_price(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    offer=offer,
                    valid_from=data["valid_from"],
                    solidarity_price=data["solidarity_price"],
                    market_price=data["market_price"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Nouveau prix de « %(offer)s » : %(price)s € à partir du %(day)s.")
                    % {
                        "offer": offer.name,
                        "price": f"{price.solidarity_price:.2f}".replace(".", ","),
                        "day": price.valid_from.strftime("%d/%m/%Y"),
                    },
                )
                return _detail(offer.pk)
        messages.error(request, FORM_ERRORS)
    return render(
        request,
        "connectivity/offers/price_form.html",
        {"form": form, "offer": offer},
        status=status,
    )


@access(permissions.OFFER_SETTERS)
@require_POST
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.get_offer_or_404(pk)
    withdraw = not offer.is_withdrawn
    services.set_offer_withdrawn(
        acting_user=acting_user_of(request),
        scope=scope_of(request),
        offer=offer,
        withdrawn=withdraw,
    )
    messages.success(
        request,
        _("Offre retirée de la vente.") if withdraw else _("Offre remise en vente."),
    )
    return _detail(pk)
