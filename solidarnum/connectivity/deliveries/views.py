"""Receiving the operator's deliveries: a file checked, previewed, then imported, all or nothing.

As for device batches: the check writes nothing; when every row is right the uploaded bytes are
kept server-side (import-export's `MediaStorage`, under a random name held in the session) and
the confirmation checks them again and imports them.
"""

from __future__ import annotations

import contextlib
import logging
import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from import_export.tmp_storages import MediaStorage

from solidarnum.accounts.access import access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import permissions, selectors
from solidarnum.connectivity.models import DeliveryJob
from solidarnum.connectivity.paging import page_of
from solidarnum.network.models import ReceptionPoint

from . import jobs, services
from . import selectors as delivery_selectors
from .files import COLUMNS, read_delivery_file, template_csv
from .forms import ConfirmForm, DeliveryImportForm

logger = logging.getLogger(__name__)
PENDING_KEY = "connectivity_pending_delivery"


@access(permissions.STOCK_READERS)
@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, delivery_selectors.deliveries_for(scope_of(request)))
    return render(
        request,
        "connectivity/deliveries/delivery_list.html",
        {"page": page, "can_import": permissions.STOCK_KEEPERS.allows(scope_of(request))},
    )


@access(permissions.STOCK_READERS)
@require_GET
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(delivery_selectors.deliveries_for(scope_of(request)), pk=pk)
    return render(
        request,
        "connectivity/deliveries/delivery_detail.html",
        {"delivery": delivery, "counts": delivery_selectors.counts_of(delivery.pk)},
    )


@access(permissions.STOCK_KEEPERS)
@require_GET
def delivery_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-livraison.csv"'
    return response


def _discard_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_KEY, None)
    if pending:
        with contextlib.suppress(OSError):
            MediaStorage(name=pending["storage"]).remove()


def _form_page(
    request: HttpRequest, form: DeliveryImportForm, status: int = 200, **extra: object
) -> HttpResponse:
    return render(
        request,
        "connectivity/deliveries/import_form.html",
        {"form": form, "columns": COLUMNS, **extra},
        status=status,
    )


@access(permissions.STOCK_KEEPERS)
@require_http_methods(["GET", "POST"])
def delivery_import(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    place = selectors.get_place_or_404(request, scope.reception_point_id or 0)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, place)
    if request.method != "POST":
        return _form_page(request, DeliveryImportForm())
    form = DeliveryImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, 400)
    assert form.dataset is not None
    file_name = form.cleaned_data["file"].name
    _discard_pending(request)
    if jobs.runs_in_background(len(form.dataset)):
        return _start_job(request, place, form)
    try:
        report = services.import_delivery(
            acting_user=acting_user_of(request),
            scope=scope,
            reception_point=place,
            dataset=form.dataset,
            file_name=file_name,
            dry_run=True,
        )
    except ServiceError as error:
        form.add_error(None, str(error))
        return _form_page(request, form, 400)
    if not report.ok:
        return _form_page(request, form, 400, report=report, file_name=file_name)
    storage = MediaStorage()
    try:
        storage.save(form.content)
    except OSError:
        logger.exception("Could not keep an uploaded delivery file for its confirmation")
        form.add_error(
            "file", _("Le fichier n'a pas pu être gardé pour la confirmation : réessayez.")
        )
        return _form_page(request, form, 400)
    token = secrets.token_urlsafe(24)
    request.session[PENDING_KEY] = {
        "token": token,
        "storage": storage.name,
        "place": place.pk,
        "file_name": file_name,
    }
    return render(
        request,
        "connectivity/deliveries/preview.html",
        {
            "report": report,
            "place": place,
            "file_name": file_name,
            "confirm_form": ConfirmForm(initial={"token": token}),
        },
    )


def _confirm(request: HttpRequest, place: object) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    form = ConfirmForm(request.POST)
    expired = _("Cet aperçu n'est plus valable : envoyez à nouveau le fichier.")
    if not (
        pending
        and form.is_valid()
        and constant_time_compare(form.cleaned_data["token"], pending["token"])
        and pending["place"] == getattr(place, "pk", None)
    ):
        messages.error(request, expired)
        return HttpResponseRedirect(reverse("connectivity:delivery_import"))
    file_name = pending["file_name"]
    try:
        dataset = read_delivery_file(file_name, MediaStorage(name=pending["storage"]).read())
    except (OSError, ServiceError):
        _discard_pending(request)
        messages.error(request, expired)
        return HttpResponseRedirect(reverse("connectivity:delivery_import"))
    try:
        report = services.import_delivery(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            reception_point=place,  # type: ignore[arg-type]
            dataset=dataset,
            file_name=file_name,
            dry_run=False,
        )
    except ServiceError as error:
        _discard_pending(request)
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("connectivity:delivery_import"))
    _discard_pending(request)
    if not report.ok or report.delivery is None:
        return _form_page(request, DeliveryImportForm(), 400, report=report, file_name=file_name)
    messages.success(
        request,
        ngettext(
            "Livraison %(ref)s reçue : %(count)s carte ou code en stock.",
            "Livraison %(ref)s reçue : %(count)s cartes et codes en stock.",
            report.total,
        )
        % {"ref": report.delivery.reference, "count": report.total},
    )
    return HttpResponseRedirect(
        reverse("connectivity:delivery_detail", kwargs={"pk": report.delivery.pk})
    )


# --- Large files, in the background --------------------------------------------------------------


def _start_job(
    request: HttpRequest, place: ReceptionPoint, form: DeliveryImportForm
) -> HttpResponse:
    assert form.dataset is not None
    try:
        job = jobs.start_delivery_job(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            reception_point=place,
            file_name=form.cleaned_data["file"].name,
            content=form.content,
            row_count=len(form.dataset),
        )
    except ServiceError as error:
        form.add_error(None, str(error))
        return _form_page(request, form, 400)
    except OSError:
        logger.exception("Could not keep an uploaded delivery file for its background check")
        form.add_error(
            "file", _("Le fichier n'a pas pu être gardé pour sa vérification : réessayez.")
        )
        return _form_page(request, form, 400)
    return HttpResponseRedirect(_job_url(job))


def _job_url(job: DeliveryJob) -> str:
    return reverse("connectivity:delivery_job", kwargs={"pk": job.pk})


@access(permissions.STOCK_KEEPERS)
@require_GET
def delivery_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background reception: its progress while it runs (the page refreshes itself), then its
    preview and "Confirmer", its per-row report, or its delivery."""
    job = get_object_or_404(delivery_selectors.delivery_jobs_for(scope_of(request)), pk=pk)
    return render(
        request,
        "connectivity/deliveries/job.html",
        {"job": job, "report": jobs.report_of(job), "file_name": job.file_name},
    )


@access(permissions.STOCK_KEEPERS)
@require_POST
def delivery_job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(delivery_selectors.delivery_jobs_for(scope_of(request)), pk=pk)
    try:
        jobs.confirm_delivery_job(
            acting_user=acting_user_of(request), scope=scope_of(request), job=job
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("connectivity:delivery_import"))
    return HttpResponseRedirect(_job_url(job))
