"""The operator statement: page, CSV and PDF (national admins)."""

from __future__ import annotations

import io
from typing import Any

from defusedcsv import csv as safe_csv
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from solidarnum.accounts.access import access
from solidarnum.common.pdf import render_pdf
from solidarnum.connectivity import permissions

from .forms import StatementForm
from .selectors import COLUMNS, OperatorStatement, operator_statement, operators


def _context(request: HttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    names = operators()
    initial: dict[str, Any] = {
        "operator": names[0] if names else "",
        "start": today.replace(month=1, day=1),
        "end": today,
    }
    form = StatementForm(request.GET or None, operators=names, initial=initial)
    statement = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        statement = operator_statement(data["operator"], data["start"], data["end"])
    elif not form.is_bound and names:
        statement = operator_statement(initial["operator"], initial["start"], initial["end"])
    columns = _labels()
    table: list[Any] = []
    totals: list[Any] = []
    if statement is not None:
        table = [
            (line.offer.name, [(line.counts[k], line.values[k]) for k, _l in columns])
            for line in statement.lines
        ]
        counts, values = statement.totals, statement.total_values
        totals = [(counts[k], values[k]) for k, _l in columns]
    return {
        "form": form,
        "statement": statement,
        "columns": columns,
        "table": table,
        "totals": totals,
        "generated_on": today,
    }


def _labels() -> list[tuple[str, str]]:
    labels = {
        "received": _("Reçus"),
        "sold": _("Vendus"),
        "given": _("Donnés en packs"),
        "defective": _("Défectueux"),
        "expired": _("Expirés"),
    }
    return [(key, labels[key]) for key, _status in COLUMNS]


@access(permissions.OFFER_SETTERS)
@require_GET
def operator_statement_page(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    status = 400 if context["form"].is_bound and not context["form"].is_valid() else 200
    return render(request, "connectivity/statements/operator.html", context, status=status)


def _rows(statement: OperatorStatement, columns: list[tuple[str, str]]) -> list[list[str]]:
    head = [_("Offre")]
    for _key, label in columns:
        head += [label, _("%(what)s, valeur de marché (€)") % {"what": label}]
    rows = [head]
    for line in statement.lines:
        row = [line.offer.name]
        for key, _label in columns:
            row += [str(line.counts[key]), f"{line.values[key]:.2f}"]
        rows.append(row)
    return rows


@access(permissions.OFFER_SETTERS)
@require_GET
def operator_statement_csv(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    statement = context["statement"]
    if statement is None:
        return render(request, "connectivity/statements/operator.html", context, status=400)
    out = io.StringIO()
    writer = safe_csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(_rows(statement, context["columns"]))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"releve-operateur-{statement.start:%Y%m%d}-{statement.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access(permissions.OFFER_SETTERS)
@require_GET
def operator_statement_pdf(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    if context["statement"] is None:
        return render(request, "connectivity/statements/operator.html", context, status=400)
    pdf = render_pdf(
        "connectivity/statements/operator_pdf.html",
        context,
        request,
        stylesheets=["connectivity/relays/statement_pdf.css"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="releve-operateur.pdf"'
    return response
