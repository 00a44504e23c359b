"""Batches ("lots") of devices from refurbishing workshops: import a file, list and follow them.

The import is two requests. The first checks the whole file (writing nothing) and shows a
preview or the per-row report; when every row is right, the uploaded bytes are kept server-side
(import-export's `MediaStorage`, under a random name held in the session, never sent to the
browser) and the second request imports them for real, all rows or none.

A file above `EQUIPMENT_IMPORT_BACKGROUND_ROWS` rows goes through a background job instead
(`import_jobs`, ADR 0018): the first request stores it and sends the person to the job's page,
which follows the check, then shows the same preview or report; "Confirmer" queues the import.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import constant_time_compare
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import LazyPaginator, RequestConfig, SingleTableView
from import_export.tmp_storages import MediaStorage

from solidarnum.accounts.access import AccessRuleMixin, access
from solidarnum.accounts.scope import Scope, scope_of

from . import import_jobs, import_services, services
from .enums import ImportJobState, Status
from .forms_import import (
    ADVANCE_FROM,
    BatchAdvanceForm,
    BatchCertificateForm,
    BatchImportForm,
    ConfirmImportForm,
)
from .import_files import COLUMNS, REQUIRED_COLUMNS, ImportFileError, read_device_file, template_csv
from .models import Device, ErasureRecord, ImportBatch, ImportJob
from .permissions import WORKSHOP
from .selectors import (
    batches_for,
    donations_for,
    erasure_state,
    get_batch_or_404,
    get_import_job_or_404,
    import_jobs_for,
    with_erasure_state,
)

logger = logging.getLogger(__name__)

PER_PAGE = 25
OPEN_JOB_STATES = (ImportJobState.QUEUED, ImportJobState.RUNNING, ImportJobState.CHECKED)
# The import waiting for confirmation: {"token", "storage", "donation", "file_name"}.
PENDING_KEY = "equipment_pending_import"


def _optional_url(name: str, **kwargs: Any) -> str | None:
    """A link to a page another area builds; None until that page exists."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


# --- Tables --------------------------------------------------------------------------------------


class BatchTable(tables.Table):
    reference = tables.Column(
        verbose_name=gettext_lazy("Lot"), linkify=("batch_detail", {"pk": tables.A("pk")})
    )
    donation = tables.Column(
        verbose_name=gettext_lazy("Don"), accessor="donation__reference", orderable=False
    )
    donor = tables.Column(
        verbose_name=gettext_lazy("Donateur"), accessor="donation__donor__name", orderable=False
    )
    refurbisher = tables.Column(
        verbose_name=gettext_lazy("Atelier"), accessor="refurbisher__name", orderable=False
    )
    row_count = tables.Column(verbose_name=gettext_lazy("Appareils"), orderable=False)
    imported_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Importé le"), format="d/m/Y H:i")

    class Meta:
        model = ImportBatch
        fields = ["reference", "donation", "donor", "refurbisher", "row_count", "imported_at"]
        order_by = ("-imported_at",)


def status_badge(device: Device) -> SafeString:
    return format_html('<span class="badge">{}</span>', device.get_status_display())


class BatchDeviceTable(tables.Table):
    pick = tables.Column(
        verbose_name=gettext_lazy("Choisir"), accessor="pk", orderable=False, empty_values=()
    )
    serial_number = tables.Column(verbose_name=gettext_lazy("Numéro de série"))
    kind = tables.Column(verbose_name=gettext_lazy("Type"))
    label = tables.Column(
        verbose_name=gettext_lazy("Marque et modèle"),
        accessor="brand",
        order_by=("brand", "model_name"),
    )
    grade = tables.Column(verbose_name=gettext_lazy("Grade"))
    status = tables.Column(verbose_name=gettext_lazy("Statut"))
    erasure = tables.Column(
        verbose_name=gettext_lazy("Effacement"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        model = Device
        fields = ["pick", "serial_number", "kind", "label", "grade", "status", "erasure"]
        order_by = ("serial_number",)

    def render_pick(self, record: Device) -> SafeString:
        return format_html(
            '<input type="checkbox" name="devices" value="{}" form="advance-form" aria-label="{}">',
            record.pk,
            _("Choisir %(serial)s") % {"serial": record.serial_number},
        )

    def render_serial_number(self, record: Device) -> SafeString:
        url = _optional_url("device_detail", pk=record.pk)
        if url:
            return format_html('<a href="{}">{}</a>', url, record.serial_number)
        return format_html("{}", record.serial_number)

    def render_label(self, record: Device) -> str:
        return record.label

    def render_grade(self, record: Device) -> str:
        return record.grade

    def render_status(self, record: Device) -> SafeString:
        return status_badge(record)

    def render_erasure(self, record: Any) -> str:
        return str(
            erasure_state(
                has_successful_erasure=record.has_successful_erasure,
                has_certificate=record.has_erasure_certificate,
            ).label
        )


# --- List and detail -----------------------------------------------------------------------------


class BatchList(AccessRuleMixin, SingleTableView):
    """The caller's batches, newest first. Pages are counted lazily: no COUNT(*)."""

    access_rule = WORKSHOP
    template_name = "equipment/import/list.html"
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


def _batch_devices(batch: ImportBatch) -> QuerySet[Device]:
    return with_erasure_state(batch.devices.all())


def _render_detail(
    request: HttpRequest,
    batch: ImportBatch,
    *,
    advance_form: BatchAdvanceForm | None = None,
    certificate_form: BatchCertificateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    table = BatchDeviceTable(_batch_devices(batch))
    RequestConfig(
        request, paginate={"per_page": PER_PAGE, "paginator_class": LazyPaginator}
    ).configure(table)
    by_status = dict(
        batch.devices.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counts = [(Status(code).label, n) for code in Status if (n := by_status.get(code, 0))]
    without_certificate = ErasureRecord.objects.filter(device__batch=batch, certificate="").count()
    transfer_url = _optional_url("transfer_create")
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
        "transfer_url": f"{transfer_url}?lot={batch.pk}" if transfer_url else None,
        "caption": _("Appareils du lot"),
    }
    return render(request, "equipment/import/detail.html", context, status=status)


@access(WORKSHOP)
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_batch_or_404(request, pk))


def _detail_url(batch: ImportBatch) -> str:
    return reverse("batch_detail", kwargs={"pk": batch.pk})


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
            scope=scope_of(request),
            devices=devices,
            to_status=target,
            reason=form.cleaned_data["reason"],
        )
    except services.ServiceError as error:
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
            scope=scope_of(request), batch=batch, certificate=form.cleaned_data["certificate"]
        )
    except services.ServiceError as error:
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
        return render(request, "equipment/import/form.html", _import_context(form))
    form = BatchImportForm(request.POST, request.FILES, scope=scope)
    if not form.is_valid():
        return render(request, "equipment/import/form.html", _import_context(form), status=400)
    donation = form.cleaned_data["donation"]
    file_name = form.cleaned_data["file"].name
    assert form.dataset is not None
    _discard_pending(request)
    if import_jobs.runs_in_background(len(form.dataset)):
        return _start_job(request, scope, form)
    try:
        report = import_services.import_devices(
            scope=scope, donation=donation, dataset=form.dataset, file_name=file_name, dry_run=True
        )
    except services.ServiceError as error:
        form.add_error("donation", str(error))
        return render(request, "equipment/import/form.html", _import_context(form), status=400)
    if not report.ok:
        return render(
            request,
            "equipment/import/form.html",
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
        return render(request, "equipment/import/form.html", _import_context(form), status=400)
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
    return render(request, "equipment/import/preview.html", context)


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
        return HttpResponseRedirect(reverse("batch_import"))
    donation = get_object_or_404(donations_for(scope), pk=pending["donation"])
    file_name = pending["file_name"]
    try:
        content = MediaStorage(name=pending["storage"]).read()
        dataset = read_device_file(file_name, content)
    except (OSError, ImportFileError):
        _discard_pending(request)
        messages.error(request, expired)
        return HttpResponseRedirect(reverse("batch_import"))
    try:
        report = import_services.import_devices(
            scope=scope, donation=donation, dataset=dataset, file_name=file_name, dry_run=False
        )
    except services.ServiceError as error:
        _discard_pending(request)
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("batch_import"))
    _discard_pending(request)
    if not report.ok or report.batch is None:
        form_again = BatchImportForm(scope=scope, initial={"donation": donation.pk})
        return render(
            request,
            "equipment/import/form.html",
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
        job = import_jobs.start_import_job(
            scope=scope,
            donation=form.cleaned_data["donation"],
            file_name=form.cleaned_data["file"].name,
            content=form.content,
            row_count=len(form.dataset),
        )
    except services.ServiceError as error:
        form.add_error("donation", str(error))
        return render(request, "equipment/import/form.html", _import_context(form), status=400)
    except OSError:
        logger.exception("Could not keep an uploaded device file for its background check")
        form.add_error(
            "file", _("Le fichier n'a pas pu être gardé pour sa vérification : réessayez.")
        )
        return render(request, "equipment/import/form.html", _import_context(form), status=400)
    return HttpResponseRedirect(_job_url(job))


def _job_url(job: ImportJob) -> str:
    return reverse("batch_import_job", kwargs={"pk": job.pk})


@access(WORKSHOP)
@require_GET
def batch_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import: its progress while it runs (the page refreshes itself), then its
    preview and "Confirmer", its per-row report, or its batch."""
    job = get_import_job_or_404(request, pk)
    context = {"job": job, "report": import_jobs.report_of(job), "file_name": job.file_name}
    return render(request, "equipment/import/job.html", context)


@access(WORKSHOP)
@require_POST
def batch_import_job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_or_404(request, pk)
    try:
        import_jobs.confirm_import_job(scope=scope_of(request), job=job)
    except services.ServiceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("batch_import"))
    return HttpResponseRedirect(_job_url(job))


@access(WORKSHOP)
@require_GET
def batch_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-lot-appareils.csv"'
    return response
