"""The solidarity price grid: today's prices, the next ones and the history; set a future price."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import LazyPaginator, RequestConfig

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.equipment import permissions
from solidarnum.equipment.enums import DeviceKind, Grade
from solidarnum.equipment.models import Price

from . import selectors as price_selectors
from . import services
from .forms import (
    PriceForm,
)
from .tables import PriceHistoryTable, money

PER_PAGE = 25
FORM_ERRORS = gettext_lazy("Le formulaire contient des erreurs : rien n'a été enregistré.")


@access(permissions.PRICE_READERS)
def price_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    in_force: dict[tuple[str, str], Price] = {}
    upcoming: list[Price] = []
    for price in price_selectors.current_and_upcoming(today):
        if price.valid_from > today:
            upcoming.append(price)
        else:
            in_force[(price.kind, price.grade)] = price
    grid = [
        {
            "label": kind.label,
            # (grade, price): the grade is said before the price when the grid stacks on a phone.
            "cells": [(grade.label, in_force.get((kind.value, grade.value))) for grade in Grade],
        }
        for kind in DeviceKind
    ]
    history = PriceHistoryTable(price_selectors.history(today), request=request)
    paginate = {"per_page": PER_PAGE, "paginator_class": LazyPaginator}
    RequestConfig(request, paginate=paginate).configure(history)
    return render(
        request,
        "equipment/prices/price_list.html",
        {
            "grades": list(Grade),
            "grid": grid,
            "upcoming": upcoming,
            "table": history,
            "today": today,
            "can_set": permissions.PRICE_SETTERS.allows(scope_of(request)),
        },
    )


@access(permissions.PRICE_SETTERS)
@require_http_methods(["GET", "POST"])
def price_create(request: HttpRequest) -> HttpResponse:
    form = PriceForm(
        request.POST if request.method == "POST" else None,
        initial={"valid_from": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                price = services.set_price(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    kind=data["kind"],
                    grade=data["grade"],
                    amount=data["amount"],
                    valid_from=data["valid_from"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Prix enregistré : %(kind)s grade %(grade)s, %(amount)s € "
                        "à partir du %(date)s."
                    )
                    % {
                        "kind": price.get_kind_display(),
                        "grade": price.grade,
                        "amount": money(price.amount),
                        "date": price.valid_from.strftime("%d/%m/%Y"),
                    },
                )
                return HttpResponseRedirect(reverse("equipment:price_list"))
        messages.error(request, FORM_ERRORS)
    return render(request, "equipment/prices/price_form.html", {"form": form}, status=status)


@access(permissions.PRICE_SETTERS)
@require_POST
def price_delete(request: HttpRequest, pk: int) -> HttpResponse:
    price = get_object_or_404(Price, pk=pk)
    try:
        services.delete_future_price(
            acting_user=acting_user_of(request), scope=scope_of(request), price=price
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Le prix à venir est supprimé."))
    return HttpResponseRedirect(reverse("equipment:price_list"))
