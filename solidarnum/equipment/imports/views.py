"""Batches ("lots") of devices from refurbishing workshops: import a file, list and follow them.

The import is two requests. The first checks the whole file (writing nothing) and shows a
preview or the per-row report; when every row is right, the uploaded bytes are kept server-side
(import-export's `MediaStorage`, under a random name held in the session, never sent to the
browser) and the second request imports them for real, all rows or none.

A file above `EQUIPMENT_IMPORT_BACKGROUND_ROWS` rows goes through a background job instead
(`jobs`, ADR 0018): the first request stores it and sends the person to the job's page,
which follows the check, then shows the same preview or report; "Confirmer" queues the import.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import LazyPaginator, RequestConfig, SingleTableView
from import_export.tmp_storages import MediaStorage

from solidarnum.accounts.access import AccessRuleMixin, access
from solidarnum.accounts.scope import Scope, acting_user_of, scope_of
from solidarnum.common.autocomplete import suggestions
from solidarnum.common.errors import ServiceError
from solidarnum.equipment.devices import services
from solidarnum.equipment.enums import ImportJobState, Status
from solidarnum.equipment.models import ImportBatch, ImportJob
from solidarnum.equipment.permissions import WORKSHOP
from solidarnum.equipment.selectors import (
    batches_for,
    donations_for,
    get_batch_or_404,
    get_import_job_or_404,
    import_jobs_for,
)

from . import jobs
from . import selectors as import_selectors
from . import services as import_services
from .files import COLUMNS, REQUIRED_COLUMNS, read_device_file, template_csv
from .forms import (
    ADVANCE_FROM,
    BatchAdvanceForm,
    BatchCertificateForm,
    BatchImportForm,
    ConfirmImportForm,
    donation_label,
)
from .tables import BatchDeviceTable, BatchTable

logger = logging.getLogger(__name__)

PER_PAGE = 25
OPEN_JOB_STATES = (ImportJobState.QUEUED, ImportJobState.RUNNING, ImportJobState.CHECKED)
# The import waiting for confirmation: {"token", "storage", "donation", "file_name"}.
PENDING_KEY = "equipment_pending_import"


# --- List and detail -----------------------------------------------------------------------------


class BatchList(AccessRuleMixin, SingleTableView):
    """The caller's batches, newest first. Pages are counted lazily: no COUNT(*)."""

    access_rule = WORKSHOP
    template_name = "equipment/imports/list.html"
    table_class = BatchTable
    paginator_class = LazyPaginator
    table_pagination = {"per_page": PER_PAGE}

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return batches_for(scope_of(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The caller's files still being checked, or waiting for their confirmation.
        context["open_jobs"] = list(
            import_jobs_for(scope_of(self.request)).filter(state__in=OPEN_JOB_STATES)[:5]
        )
        return context


batch_list = BatchList.as_view()


def _render_detail(
    request: HttpRequest,
    batch: ImportBatch,
    *,
    advance_form: BatchAdvanceForm | None = None,
    certificate_form: BatchCertificateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    table = BatchDeviceTable(import_selectors.batch_devices(batch))
    RequestConfig(
        request, paginate={"per_page": PER_PAGE, "paginator_class": LazyPaginator}
    ).configure(table)
    by_status = import_selectors.device_counts(batch)
    counts = [(Status(code).label, n) for code in Status if (n := by_status.get(code, 0))]
    without_certificate = import_selectors.erasures_without_certificate(batch)
    transfer_url = reverse("equipment:transfer_create")
    shortcuts = [
        {
            "to": target,
            "label": target.label,
            "from_label": source.label,
            "count": by_status.get(source, 0),
        }
        for target, source in ADVANCE_FROM.items()
    ]
    context = {
        "batch": batch,
        "table": table,
        "counts": counts,
        "shortcuts": shortcuts,
        "without_certificate": without_certificate,
        "advance_form": advance_form or BatchAdvanceForm(batch=batch),
        "certificate_form": certificate_form or BatchCertificateForm(),
        "transfer_url": f"{transfer_url}?lot={batch.pk}",
        "caption": _("Appareils du lot"),
    }
    return render(request, "equipment/imports/detail.html", context, status=status)


@access(WORKSHOP)
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_batch_or_404(request, pk))


def _detail_url(batch: ImportBatch) -> str:
    return reverse("equipment:batch_detail", kwargs={"pk": batch.pk})


@access(WORKSHOP)
@require_POST
def batch_advance(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_or_404(request, pk)
    form = BatchAdvanceForm(request.POST, batch=batch)
    if not form.is_valid():
        messages.error(request, _("Rien n'a été modifié : corrigez le formulaire."))
        return _render_detail(request, batch, advance_form=form, status=400)
    devices = list(form.selected_devices())
    target = Status(form.cleaned_data["to_status"])
    if not devices:
        messages.error(
            request,
            _("Aucun appareil de ce lot n'est « %(status)s » : rien n'a été modifié.")
            % {"status": ADVANCE_FROM[target].label},
        )
        return _render_detail(request, batch, advance_form=form, status=400)
    try:
        count = services.bulk_change_status(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            devices=devices,
            to_status=target,
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as error:
        messages.error(request, _("Rien n'a été modifié. %(error)s") % {"error": error})
        return _render_detail(request, batch, advance_form=form, status=400)
    messages.success(
        request,
        ngettext(
            "%(count)s appareil passé « %(status)s ».",
            "%(count)s appareils passés « %(status)s ».",
            count,
        )
        % {"count": count, "status": target.label},
    )
    return HttpResponseRedirect(_detail_url(batch))


@access(WORKSHOP)
@require_POST
def batch_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_or_404(request, pk)
    form = BatchCertificateForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Le certificat n'a pas été enregistré."))
        return _render_detail(request, batch, certificate_form=form, status=400)
    try:
        count = import_services.attach_certificate(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            batch=batch,
            certificate=form.cleaned_data["certificate"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return _render_detail(request, batch, certificate_form=form, status=400)
    messages.success(
        request,
        ngettext(
            "Certificat joint à %(count)s effacement du lot.",
            "Certificat joint à %(count)s effacements du lot.",
            count,
        )
        % {"count": count},
    )
    return HttpResponseRedirect(_detail_url(batch))


# --- Import --------------------------------------------------------------------------------------


def _import_context(form: BatchImportForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, "columns": COLUMNS, "required": REQUIRED_COLUMNS, **extra}


def _discard_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_KEY, None)
    if pending:
        with contextlib.suppress(OSError):  # already gone
            MediaStorage(name=pending["storage"]).remove()


@access(WORKSHOP)
def donation_suggestions(request: HttpRequest) -> HttpResponse:
    """The donations a batch may belong to, by reference or donor (at most 20)."""
    donations = donations_for(scope_of(request)).order_by("-donated_on", "-id")
    return suggestions(
        request, donations, search_fields=("reference", "donor__name"), label=donation_label
    )


@access(WORKSHOP)
@require_http_methods(["GET", "POST"])
def batch_import(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, scope)
    initial = {}
    if request.GET.get("don", "").isdigit():
        initial["donation"] = request.GET["don"]
    if request.method != "POST":
        form = BatchImportForm(scope=scope, initial=initial)
        return render(request, "equipment/imports/form.html", _import_context(form))
    form = BatchImportForm(request.POST, request.FILES, scope=scope)
    if not form.is_valid():
        return render(request, "equipment/imports/form.html", _import_context(form), status=400)
    donation = form.cleaned_data["donation"]
    file_name = form.cleaned_data["file"].name
    assert form.dataset is not None
    _discard_pending(request)
    if jobs.runs_in_background(len(form.dataset)):
        return _start_job(request, scope, form)
    try:
        report = import_services.import_devices(
            acting_user=acting_user_of(request),
            scope=scope,
            donation=donation,
            dataset=form.dataset,
            file_name=file_name,
            dry_run=True,
        )
    except ServiceError as error:
        form.add_error("donation", str(error))
        return render(request, "equipment/imports/form.html", _import_context(form), status=400)
    if not report.ok:
        return render(
            request,
            "equipment/imports/form.html",
            _import_context(form, report=report, file_name=file_name),
            status=400,
        )
    storage = MediaStorage()
    try:
        storage.save(form.content)
    except OSError:
        logger.exception("Could not keep an uploaded device file for its confirmation")
        form.add_error(
            "file", _("Le fichier n'a pas pu être gardé pour la confirmation : réessayez.")
        )
        return render(request, "equipment/imports/form.html", _import_context(form), status=400)
    token = secrets.token_urlsafe(24)
    request.session[PENDING_KEY] = {
        "token": token,
        "storage": storage.name,
        "donation": donation.pk,
        "file_name": file_name,
    }
    context = {
        "report": report,
        "donation": donation,
        "file_name": file_name,
        "confirm_form": ConfirmImportForm(initial={"token": token}),
    }
    return render(request, "equipment/imports/preview.html", context)


def _confirm(request: HttpRequest, scope: Scope) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    form = ConfirmImportForm(request.POST)
    expired = _("Cet aperçu n'est plus valable : envoyez à nouveau le fichier.")
    if not (
        pending
        and form.is_valid()
        and constant_time_compare(form.cleaned_data["token"], pending["token"])
    ):
        messages.error(request, expired)
        return HttpResponseRedirect(reverse("equipment:batch_import"))
    donation = get_object_or_404(donations_for(scope), pk=pending["donation"])
    file_name = pending["file_name"]
    try:
        content = MediaStorage(name=pending["storage"]).read()
        dataset = read_device_file(file_name, content)
    except (OSError, ServiceError):
        _discard_pending(request)
        messages.error(request, expired)
        return HttpResponseRedirect(reverse("equipment:batch_import"))
    try:
        report = import_services.import_devices(
            acting_user=acting_user_of(request),
            scope=scope,
            donation=donation,
            dataset=dataset,
            file_name=file_name,
            dry_run=False,
        )
    except ServiceError as error:
        _discard_pending(request)
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("equipment:batch_import"))
    _discard_pending(request)
    if not report.ok or report.batch is None:
        form_again = BatchImportForm(scope=scope, initial={"donation": donation.pk})
        return render(
            request,
            "equipment/imports/form.html",
            _import_context(form_again, report=report, file_name=file_name),
            status=400,
        )
    messages.success(
        request,
        ngettext(
            "Lot %(ref)s importé : %(count)s appareil enregistré au statut « reçu ».",
            "Lot %(ref)s importé : %(count)s appareils enregistrés au statut « reçu ».",
            report.total,
        )
        % {"ref": report.batch.reference, "count": report.total},
    )
    return HttpResponseRedirect(_detail_url(report.batch))


def _start_job(request: HttpRequest, scope: Scope, form: BatchImportForm) -> HttpResponse:
    assert form.dataset is not None
    try:
        job = jobs.start_import_job(
            acting_user=acting_user_of(request),
            scope=scope,
            donation=form.cleaned_data["donation"],
            file_name=form.cleaned_data["file"].name,
            content=form.content,
            row_count=len(form.dataset),
        )
    except ServiceError as error:
        form.add_error("donation", str(error))
        return render(request, "equipment/imports/form.html", _import_context(form), status=400)
    except OSError:
        logger.exception("Could not keep an uploaded device file for its background check")
        form.add_error(
            "file", _("Le fichier n'a pas pu être gardé pour sa vérification : réessayez.")
        )
        return render(request, "equipment/imports/form.html", _import_context(form), status=400)
    return HttpResponseRedirect(_job_url(job))


def _job_url(job: ImportJob) -> str:
    return reverse("equipment:batch_import_job", kwargs={"pk": job.pk})


@access(WORKSHOP)
@require_GET
def batch_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import: its progress while it runs (the page refreshes itself), then its
    preview and "Confirmer", its per-row report, or its batch."""
    job = get_import_job_or_404(request, pk)
    context = {"job": job, "report": jobs.report_of(job), "file_name": job.file_name}
    return render(request, "equipment/imports/job.html", context)


@access(WORKSHOP)
@require_POST
def batch_import_job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_or_404(request, pk)
    try:
        jobs.confirm_import_job(
            acting_user=acting_user_of(request), scope=scope_of(request), job=job
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("equipment:batch_import"))
    return HttpResponseRedirect(_job_url(job))


@access(WORKSHOP)
@require_GET
def batch_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-lot-appareils.csv"'
    return response
