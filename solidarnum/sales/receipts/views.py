"""A receipt: its page, its PDF (A4 or an 80 mm ticket), and the one POST that shows the
secret codes of its recharges, once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.pdf import render_pdf
from solidarnum.sales import permissions, selectors
from solidarnum.sales.forms import ReceiptPrefixForm
from solidarnum.sales.models import Receipt

from . import services

SIZES = {"a4": "sales/receipts/a4_pdf.css", "ticket": "sales/receipts/ticket_pdf.css"}


def _context(request: HttpRequest, receipt: Receipt, secrets: dict[int, str]) -> dict[str, Any]:
    lines = selectors.receipt_lines(receipt)
    codes = selectors.current_codes(lines)
    sale = receipt.sale
    saving = sum(
        (line.market_price - line.paid for line in lines if not getattr(line, "returned", False)),
        start=0,
    )
    rows = [
        {
            "line": line,
            "code": codes.get(line.pk),
            "secret": secrets.get(line.pk, ""),
            "secret_pending": (
                line.pk in codes
                and codes[line.pk].has_secret
                and codes[line.pk].revealed_at is None
            ),
        }
        for line in lines
    ]
    scope = scope_of(request)
    return {
        "receipt": receipt,
        "sale": sale,
        "rows": rows,
        "saving": saving,
        "has_pending_secret": any(row["secret_pending"] for row in rows),
        "can_print_secrets": permissions.can_sell(scope, receipt.reception_point_id),
        "can_send_sms": (
            receipt.kind in services.SMS_KINDS
            and bool(sale.beneficiary.phone)
            and not sale.beneficiary.has_no_phone
            and permissions.can_sell(scope, receipt.reception_point_id)
        ),
    }


@access(permissions.SESSION_READERS)
@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.get_receipt_or_404(request, number)
    return render(request, "sales/receipts/receipt.html", _context(request, found, {}))


@access(permissions.TILL_USERS)
@require_POST
def receipt_secrets(request: HttpRequest, number: str) -> HttpResponse:
    """Show (and mark shown) the secret codes not shown yet: the page answers with them, once."""
    found = selectors.get_receipt_or_404(request, number)
    try:
        secrets = services.reveal_secrets(
            acting_user=acting_user_of(request), scope=scope_of(request), receipt=found
        )
    except ServiceError as error:
        messages.error(request, str(error))
        secrets = {}
    response = render(request, "sales/receipts/receipt.html", _context(request, found, secrets))
    response["Cache-Control"] = "no-store"
    return response


@access(permissions.MANAGERS)
@require_http_methods(["GET", "POST"])
def receipt_prefix(request: HttpRequest) -> HttpResponse:
    """The site's receipt numbering: its prefix, the next number, the form to change it."""
    scope = scope_of(request)
    form = ReceiptPrefixForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.set_receipt_prefix(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    prefix=form.cleaned_data["receipt_prefix"],
                )
            except ServiceError as error:
                form.add_error("receipt_prefix", str(error))
            else:
                messages.success(
                    request, _("Préfixe enregistré : les prochains tickets le portent.")
                )
                return HttpResponseRedirect(reverse("sales:receipt_prefix"))
        messages.error(request, _("Le formulaire contient des erreurs : rien n'a été enregistré."))
    context = {"form": form, **selectors.receipt_numbering(scope)}
    return render(request, "sales/receipts/receipt_prefix.html", context, status=status)


@access(permissions.TILL_USERS)
@require_POST
def receipt_sms(request: HttpRequest, number: str) -> HttpResponse:
    """Send the receipt to the buyer by SMS (queued: the page answers at once)."""
    found = selectors.get_receipt_or_404(request, number)
    try:
        services.send_receipt_by_sms(
            acting_user=acting_user_of(request), scope=scope_of(request), receipt=found
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ticket envoyé par SMS à la personne."))
    return HttpResponseRedirect(reverse("sales:receipt", kwargs={"number": found.number}))


@access(permissions.SESSION_READERS)
@require_GET
def receipt_pdf(request: HttpRequest, number: str, size: str) -> HttpResponse:
    """The printed receipt, without the secret codes (they are shown once, on the page)."""
    if size not in SIZES:
        raise Http404
    found = selectors.get_receipt_or_404(request, number)
    pdf = render_pdf(
        "sales/receipts/receipt_pdf.html",
        _context(request, found, {}),
        request,
        stylesheets=[SIZES[size]],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}-{size}.pdf"'
    return response
