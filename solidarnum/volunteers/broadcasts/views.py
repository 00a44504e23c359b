"""The site manager writes to the site's volunteers; volunteers answer "je viens"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.volunteers import permissions, selectors
from solidarnum.volunteers.forms import BroadcastForm
from solidarnum.volunteers.paging import page_of

from . import services


@access(permissions.MANAGERS)
@require_http_methods(["GET", "POST"])
def broadcast_list(request: HttpRequest) -> HttpResponse:
    form = BroadcastForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                broadcast = services.send_broadcast(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    text=form.cleaned_data["text"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Message envoyé aux bénévoles du point d'accueil."))
                return HttpResponseRedirect(
                    reverse("volunteers:broadcast_detail", args=[broadcast.pk])
                )
        status = 400
    page = page_of(request, selectors.broadcasts_for(scope_of(request)), 25)
    return render(
        request,
        "volunteers/broadcasts/broadcast_list.html",
        {"form": form, "page": page},
        status=status,
    )


@access(permissions.MANAGERS)
@require_GET
def broadcast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = selectors.get_broadcast_or_404(request, pk)
    recipients = list(
        broadcast.recipients.select_related("user").order_by(
            "coming_at", "user__last_name", "user__first_name"
        )
    )
    coming = [r for r in recipients if r.coming_at]
    return render(
        request,
        "volunteers/broadcasts/broadcast_detail.html",
        {"broadcast": broadcast, "recipients": recipients, "coming": coming},
    )


@access(permissions.VOLUNTEERS)
@require_GET
def my_messages(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.my_broadcasts(scope_of(request)), 25)
    return render(request, "volunteers/broadcasts/my_messages.html", {"page": page})


@access(permissions.VOLUNTEERS)
@require_POST
def broadcast_answer(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = selectors.get_my_broadcast_or_404(request, pk)
    coming = request.POST.get("coming") == "1"
    try:
        services.answer_coming(
            acting_user=acting_user_of(request), recipient=recipient, coming=coming
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Merci, c'est noté.") if coming else _("Réponse retirée."))
    return HttpResponseRedirect(reverse("volunteers:my_messages"))
