"""The tills of a site, opening and closing a session, the session's report and its Z (PDF)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.pdf import render_pdf
from solidarnum.connectivity.paging import page_of
from solidarnum.sales import permissions, selectors
from solidarnum.sales.forms import CloseSessionForm, OpenSessionForm, TillForm
from solidarnum.sales.models import CashSession

from . import services
from .selectors import receipt_span, totals_of

# A Z lists its refunds and voids (a handful a session); beyond, the session's page has them all.
REFUNDS_ON_Z = 50


@access(permissions.SESSION_READERS)
@require_GET
def till_home(request: HttpRequest) -> HttpResponse:
    """A site's tills, each with its open session or the button to open one."""
    scope = scope_of(request)
    tills = list(selectors.tills_for(scope).filter(is_active=True).order_by("name"))
    open_by_till = {s.till_id: s for s in selectors.open_sessions(scope)}
    return render(
        request,
        "sales/sessions/till_home.html",
        {
            "tills": [(till, open_by_till.get(till.pk)) for till in tills],
            "open_form": OpenSessionForm(),
            "till_form": TillForm() if scope.role == "site_manager" else None,
            "can_sell": permissions.can_sell(scope, scope.reception_point_id),
            "volunteers": selectors.site_volunteers(scope) if scope.role == "site_manager" else [],
        },
    )


@access(permissions.MANAGERS)
@require_POST
def till_right_toggle(request: HttpRequest, membership: int) -> HttpResponse:
    """The site manager gives a volunteer the till right, or takes it back."""
    found = selectors.get_site_volunteer_or_404(request, membership)
    scope = scope_of(request)
    has_right = dict(selectors.site_volunteers(scope)).get(found, False)
    try:
        if has_right:
            services.revoke_till_right(
                acting_user=acting_user_of(request), scope=scope, membership=found
            )
            messages.success(request, _("Droit de caisse retiré."))
        else:
            services.grant_till_right(
                acting_user=acting_user_of(request), scope=scope, membership=found
            )
            messages.success(request, _("Droit de caisse donné."))
    except ServiceError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("sales:till_home"))


@access(permissions.MANAGERS)
@require_POST
def till_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = TillForm(request.POST)
    if form.is_valid():
        try:
            services.create_till(
                acting_user=acting_user_of(request),
                scope=scope,
                reception_point=scope.membership.reception_point,  # type: ignore[union-attr,arg-type]
                name=form.cleaned_data["name"],
            )
            messages.success(request, _("Caisse ajoutée."))
        except ServiceError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Caisse non ajoutée : donnez-lui un nom."))
    return HttpResponseRedirect(reverse("sales:till_home"))


@access(permissions.TILL_USERS)
@require_POST
def session_open(request: HttpRequest, till: int) -> HttpResponse:
    found = selectors.get_till_or_404(request, till)
    form = OpenSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Caisse non ouverte : indiquez le fond de caisse compté."))
        return HttpResponseRedirect(reverse("sales:till_home"))
    try:
        session = services.open_session(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            till=found,
            opening_float=form.cleaned_data["opening_float"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("sales:till_home"))
    return HttpResponseRedirect(reverse("sales:sale_screen", kwargs={"pk": session.pk}))


@access(permissions.SESSION_READERS)
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.sessions_for(scope_of(request)).order_by("-opened_at"), 25)
    return render(request, "sales/sessions/session_list.html", {"page": page})


def _report(session: CashSession) -> dict[str, object]:
    return {
        "session": session,
        "totals": totals_of(session),
        "sales": list(selectors.session_sales(session.pk)[:200]),
        "refunds": list(selectors.session_refunds(session.pk)),
        "tolerance": settings.SALES_CLOSING_TOLERANCE,
    }


@access(permissions.SESSION_READERS)
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_or_404(request, pk)
    context = _report(session)
    scope = scope_of(request)
    context["can_sell"] = session.is_open and permissions.can_sell(
        scope, session.reception_point_id
    )
    return render(request, "sales/sessions/session_detail.html", context)


@access(permissions.TILL_USERS)
@require_http_methods(["GET", "POST"])
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_or_404(request, pk)
    if not session.is_open:
        return HttpResponseRedirect(reverse("sales:session_detail", kwargs={"pk": pk}))
    form = CloseSessionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.close_session(
                    acting_user=acting_user_of(request),
                    scope=scope_of(request),
                    session=session,
                    counted_cash=form.cleaned_data["counted_cash"],
                    counted_card=form.cleaned_data["counted_card"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("Session clôturée : voici son rapport."))
                return HttpResponseRedirect(reverse("sales:session_detail", kwargs={"pk": pk}))
            except ServiceError as error:
                form.add_error(None, str(error))
        status = 400
    context = _report(session)
    context["form"] = form
    return render(request, "sales/sessions/session_close.html", context, status=status)


@access(permissions.SESSION_READERS)
@require_GET
def session_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The Z report of a closed session: its money and the span of its receipts on one page. The
    sales one by one are on the session's page: laid out by WeasyPrint they made the PDF take
    seconds (200 rows, 8 pages), and a Z is the session's totals."""
    session = selectors.get_session_or_404(request, pk)
    if session.is_open:
        raise Http404
    context = {
        "session": session,
        "totals": totals_of(session),
        "receipts": receipt_span(session),
        "refunds": list(selectors.session_refunds(session.pk)[:REFUNDS_ON_Z]),
        "generated_at": timezone.now(),
    }
    pdf = render_pdf(
        "sales/sessions/z_pdf.html",
        context,
        request,
        stylesheets=["sales/receipts/a4_pdf.css"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="z-{session.pk}.pdf"'
    return response
