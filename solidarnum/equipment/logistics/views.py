"""Logistics: transfers from a workshop or a site to a site, and the periodic stock count.

Views stay thin: objects come from the scoped selectors (another site's answers 404), every
change goes through `services`, and a refused action is shown with its French message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from solidarnum.accounts.access import AccessRuleMixin, access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.lists import LazyPaginator
from solidarnum.equipment import permissions
from solidarnum.equipment.enums import StockCountStatus, TransferStatus
from solidarnum.equipment.models import StockCount, StockCountScan, Transfer, TransferItem
from solidarnum.equipment.selectors import (
    devices_for,
    get_stock_count_or_404,
    get_transfer_or_404,
    stock_counts_for,
    transfers_for,
)

from . import selectors as logistics_selectors
from . import services
from .filters import TransferFilter
from .forms import (
    ELIGIBLE_CAP,
    EligibleFilterForm,
    OriginForm,
    ReceiveForm,
    ScanForm,
    TransferForm,
)
from .selectors import eligible_devices, origin_of
from .tables import StockCountTable, TransferTable, transfer_badge, transfer_origin

# How many of the latest scans the stock-count page lists.
RECENT_SCANS = 15


def device_url(pk: int | None) -> str | None:
    """The device page (None for a serial that is no device of ours)."""
    if pk is None:
        return None
    return reverse("equipment:device_detail", kwargs={"pk": pk})


# --- Transfers ---------------------------------------------------------------------------------


class TransferList(AccessRuleMixin, SingleTableMixin, FilterView):
    """Transfers of the caller's place. A site sees what it has to receive first."""

    access_rule = permissions.TRANSFER_ACTORS
    template_name = "equipment/logistics/transfer_list.html"
    table_class = TransferTable
    filterset_class = TransferFilter
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}

    def get_queryset(self) -> QuerySet[Transfer]:
        scope = scope_of(self.request)
        qs = transfers_for(scope).annotate(
            device_count=logistics_selectors.count_of(TransferItem, "transfer")
        )
        site_id = scope.reception_point_id
        if site_id is not None:
            awaiting = Q(to_point_id=site_id, status=TransferStatus.IN_TRANSIT)
            qs = qs.annotate(
                awaiting=Case(When(awaiting, then=Value(0)), default=Value(1))
            ).order_by("awaiting", "-sent_at", "-id")
        return qs

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"site_id": scope_of(self.request).reception_point_id}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Transferts")
        return context


transfer_list = TransferList.as_view()


@access(permissions.TRANSFER_ACTORS)
@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    origin = origin_of(request)
    if origin is None:
        if not scope.is_national_admin:
            raise PermissionDenied
        # The national team sends on behalf of a workshop or a site: where from, first.
        chosen = "origin" in request.GET
        origin_form = OriginForm(request.GET if chosen else None)
        if chosen and origin_form.is_valid():  # valid choice, but no longer active
            origin_form.add_error("origin", _("Ce lieu n'existe plus ou n'est plus actif."))
        return render(
            request,
            "equipment/logistics/transfer_origin.html",
            {"form": origin_form},
            status=400 if chosen else 200,
        )

    eligible = eligible_devices(origin)
    has_filter = bool(request.GET.get("kind") or request.GET.get("lot"))
    filter_form = EligibleFilterForm(request.GET if has_filter else None, eligible=eligible)
    listed = list(filter_form.apply(eligible)[: ELIGIBLE_CAP + 1])
    has_more = len(listed) > ELIGIBLE_CAP
    listed = listed[:ELIGIBLE_CAP]
    lot = (
        filter_form.cleaned_data.get("lot")
        if filter_form.is_bound and filter_form.is_valid()
        else None
    )

    status = 200
    if request.method == "POST":
        form = TransferForm(request.POST, origin=origin, eligible=eligible)
        status = 400
        if form.is_valid():
            try:
                transfer = services.send_transfer(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    devices=form.cleaned_data["devices"],
                    to_point=form.cleaned_data["to_point"],
                    note=form.cleaned_data["note"],
                    **origin.send_kwargs(),
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                n = len(form.cleaned_data["devices"])
                messages.success(
                    request,
                    ngettext(
                        "Transfert %(ref)s envoyé vers %(to)s : %(n)s appareil.",
                        "Transfert %(ref)s envoyé vers %(to)s : %(n)s appareils.",
                        n,
                    )
                    % {"ref": transfer.reference, "to": transfer.to_point.name, "n": n},
                )
                return HttpResponseRedirect(
                    reverse("equipment:transfer_detail", kwargs={"pk": transfer.pk})
                )
        messages.error(request, _("Rien n'a été envoyé : corrigez ce qui est indiqué."))
        checked = {str(pk) for pk in form.checked_ids()}
    else:
        form = TransferForm(origin=origin, eligible=eligible)
        # Coming from a batch page (?lot=): its devices are ticked, ready to go.
        checked = {str(device.pk) for device in listed} if lot else set()

    context = {
        "origin": origin,
        "is_admin": scope.is_national_admin,
        "form": form,
        "filter_form": filter_form,
        "devices": [(device, str(device.pk) in checked) for device in listed],
        "has_more": has_more,
        "cap": ELIGIBLE_CAP,
        "lot": lot,
    }
    return render(request, "equipment/logistics/transfer_create.html", context, status=status)


def _render_transfer(
    request: HttpRequest,
    transfer: Transfer,
    *,
    form: ReceiveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = scope_of(request)
    items = list(
        transfer.items.select_related("device").order_by("device__kind", "device__serial_number")
    )
    can_receive = permissions.can_receive(scope, transfer)
    receiving = can_receive and transfer.status == TransferStatus.IN_TRANSIT
    if receiving and form is None:
        form = ReceiveForm(device_ids=[item.device_id for item in items])
    checked = form.checked_ids() if receiving and form is not None else set()
    rows = [
        {
            "item": item,
            "device": item.device,
            "checked": item.device_id in checked,
            # A device reported missing that turns up later: the destination can still take it in.
            "late": can_receive
            and item.received is False
            and item.device.transfer_id == transfer.pk,
        }
        for item in items
    ]
    context = {
        "transfer": transfer,
        "origin": transfer_origin(transfer),
        "badge": transfer_badge(transfer, scope.reception_point_id),
        "rows": rows,
        "receiving": receiving,
        "form": form if receiving else None,
        "missing_count": sum(1 for item in items if item.received is False),
    }
    return render(request, "equipment/logistics/transfer_detail.html", context, status=status)


def _transfer_url(transfer: Transfer) -> str:
    return reverse("equipment:transfer_detail", kwargs={"pk": transfer.pk})


@access(permissions.TRANSFER_ACTORS)
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_transfer(request, get_transfer_or_404(request, pk))


@access(permissions.TRANSFER_ACTORS)
@require_POST
def transfer_receive(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    transfer = get_transfer_or_404(request, pk)
    if not permissions.can_receive(scope, transfer):
        raise PermissionDenied
    if transfer.status != TransferStatus.IN_TRANSIT:
        messages.error(request, _("Ce transfert a déjà été réceptionné."))
        return _render_transfer(request, transfer, status=400)
    device_ids = list(transfer.items.order_by("pk").values_list("device_id", flat=True))
    form = ReceiveForm(request.POST, device_ids=device_ids)
    if not form.is_valid():
        messages.error(request, _("La réception n'est pas validée : corrigez ce qui est indiqué."))
        return _render_transfer(request, transfer, form=form, status=400)
    try:
        transfer = services.receive_transfer(
            acting_user=acting_user_of(request),
            scope=scope,
            transfer=transfer,
            received_ids=form.cleaned_data["received"],
            discrepancy_note=form.cleaned_data["discrepancy_note"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return _render_transfer(request, get_transfer_or_404(request, pk), form=form, status=400)
    received = len(form.cleaned_data["received"])
    missing = len(device_ids) - received
    if missing:
        messages.warning(
            request,
            ngettext(
                "Réception validée avec un écart : %(n)s appareil manquant.",
                "Réception validée avec un écart : %(n)s appareils manquants.",
                missing,
            )
            % {"n": missing},
        )
    else:
        messages.success(
            request,
            ngettext(
                "Réception validée : %(n)s appareil est arrivé à %(to)s.",
                "Réception validée : %(n)s appareils sont arrivés à %(to)s.",
                received,
            )
            % {"n": received, "to": transfer.to_point.name},
        )
    return HttpResponseRedirect(_transfer_url(transfer))


@access(permissions.TRANSFER_ACTORS)
@require_POST
def transfer_receive_late(request: HttpRequest, pk: int, device_pk: int) -> HttpResponse:
    scope = scope_of(request)
    transfer = get_transfer_or_404(request, pk)
    if not permissions.can_receive(scope, transfer):
        raise PermissionDenied
    item = logistics_selectors.get_transfer_item_or_404(transfer, device_pk)
    try:
        services.receive_late(
            acting_user=acting_user_of(request), scope=scope, transfer=transfer, device=item.device
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return _render_transfer(request, transfer, status=400)
    messages.success(
        request,
        _("%(serial)s finalement reçu : il est maintenant dans le stock de %(to)s.")
        % {"serial": item.device.serial_number, "to": transfer.to_point.name},
    )
    return HttpResponseRedirect(_transfer_url(transfer))


# --- Stock counts ------------------------------------------------------------------------------


class StockCountList(AccessRuleMixin, SingleTableView):
    """Past and open stock counts of the site (every site for the national team)."""

    access_rule = permissions.STOCK_KEEPERS
    template_name = "equipment/logistics/stock_count_list.html"
    table_class = StockCountTable
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}

    def get_queryset(self) -> QuerySet[StockCount]:
        scope = scope_of(self.request)
        return stock_counts_for(scope).annotate(
            scan_count=logistics_selectors.count_of(StockCountScan, "stock_count")
        )

    def get_table_kwargs(self) -> dict[str, Any]:
        if scope_of(self.request).is_site_member:
            return {"exclude": ("reception_point",)}
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = scope_of(self.request)
        can_count = permissions.can_count_stock(scope) and scope.reception_point_id is not None
        context["title"] = _("Inventaires")
        context["can_count"] = can_count
        context["open_count"] = (
            logistics_selectors.open_stock_count(scope.reception_point_id) if can_count else None
        )
        return context


stock_count_list = StockCountList.as_view()


def _require_counter(request: HttpRequest) -> None:
    """Counting is done by the site's staff; the national team only reads the results."""
    scope = scope_of(request)
    if not (permissions.can_count_stock(scope) and scope.reception_point_id is not None):
        raise PermissionDenied


def _detail_url(count: StockCount) -> str:
    return reverse("equipment:stock_count_detail", kwargs={"pk": count.pk})


@access(permissions.STOCK_KEEPERS)
@require_POST
def stock_count_start(request: HttpRequest) -> HttpResponse:
    _require_counter(request)
    scope = scope_of(request)
    assert scope.membership is not None and scope.membership.reception_point is not None
    try:
        count = services.start_stock_count(
            acting_user=acting_user_of(request),
            scope=scope,
            reception_point=scope.membership.reception_point,
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("equipment:stock_count_list"))
    messages.success(
        request, _("Inventaire commencé : scannez chaque appareil présent sur les étagères.")
    )
    return HttpResponseRedirect(_detail_url(count))


_COUNTED = Q(device__status__in=services.COUNTED_STATUSES)


def _scan_context(request: HttpRequest, count: StockCount) -> dict[str, Any]:
    """Counters and the latest scans, for the page and for the htmx fragment."""
    site_id = count.reception_point_id
    expected_here = _COUNTED & Q(device__reception_point_id=site_id)
    totals = count.scans.aggregate(
        scanned=Count("pk"), scanned_expected=Count("pk", filter=expected_here)
    )
    expected_total = logistics_selectors.expected_in_stock(site_id)
    recent = [
        (
            scan,
            scan.device is not None
            and scan.device.reception_point_id == site_id
            and scan.device.status in services.COUNTED_STATUSES,
        )
        for scan in count.scans.select_related("device")[:RECENT_SCANS]
    ]
    scope = scope_of(request)
    return {
        "count": count,
        "is_open": count.status == StockCountStatus.OPEN,
        "can_count": count.status == StockCountStatus.OPEN
        and permissions.can_count_stock(scope)
        and scope.reception_point_id == site_id,
        "scanned": totals["scanned"],
        "scanned_expected": totals["scanned_expected"],
        "scanned_unexpected": totals["scanned"] - totals["scanned_expected"],
        "expected_total": expected_total,
        "still_to_find": max(expected_total - totals["scanned_expected"], 0),
        "recent": recent,
        "recent_limit": RECENT_SCANS,
    }


def _results_context(request: HttpRequest, count: StockCount) -> dict[str, Any]:
    """The frozen gaps; a link to each device the caller may open."""
    ids = {row.get("id") for row in [*count.missing, *count.unexpected] if row.get("id")}
    visible = set(devices_for(scope_of(request)).filter(pk__in=ids).values_list("pk", flat=True))

    def url(row: dict[str, Any]) -> str | None:
        return device_url(row.get("id")) if row.get("id") in visible else None

    return {
        "missing": [{**row, "url": url(row)} for row in count.missing],
        "unexpected": [{**row, "url": url(row)} for row in count.unexpected],
    }


@access(permissions.STOCK_KEEPERS)
def stock_count_detail(request: HttpRequest, pk: int) -> HttpResponse:
    count = get_stock_count_or_404(request, pk)
    context = _scan_context(request, count)
    if not context["is_open"]:
        context.update(_results_context(request, count))
    context["scan_form"] = ScanForm()
    return render(request, "equipment/logistics/stock_count_detail.html", context)


FEEDBACK_TAGS = {messages.SUCCESS: "success", messages.WARNING: "warning", messages.ERROR: "error"}
SCAN_EXPECTED = gettext_lazy("%(serial)s : attendu, compté.")
SCAN_UNKNOWN = gettext_lazy("%(serial)s : numéro inconnu, noté comme inattendu.")
SCAN_ELSEWHERE = gettext_lazy(
    "%(serial)s : cet appareil n'est pas attendu dans ce stock, noté comme inattendu."
)


@access(permissions.STOCK_KEEPERS)
@require_POST
def stock_count_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """One scanned serial. With htmx only the scan zone comes back, so scanning goes on."""
    count = get_stock_count_or_404(request, pk)
    _require_counter(request)
    form = ScanForm(request.POST)
    if form.is_valid():
        try:
            scan_row, expected = services.scan(
                acting_user=acting_user_of(request),
                scope=scope_of(request),
                stock_count=count,
                code=form.cleaned_data["code"],
            )
        except ServiceError as error:
            level, text = messages.ERROR, str(error)
        else:
            if expected:
                level, template = messages.SUCCESS, SCAN_EXPECTED
            elif scan_row.device_id is None:
                level, template = messages.WARNING, SCAN_UNKNOWN
            else:
                level, template = messages.WARNING, SCAN_ELSEWHERE
            text = str(template) % {"serial": scan_row.serial}
    else:
        level, text = messages.ERROR, " ".join(str(e) for e in form.errors.get("code", []))
    if getattr(request, "htmx", False):
        context = _scan_context(request, count)
        context["scan_form"] = ScanForm()
        context["feedback"] = {"level": FEEDBACK_TAGS[level], "text": text}
        # 200 even for a refused scan: htmx only swaps successful answers, and the message
        # must replace the previous one in place.
        return render(request, "equipment/logistics/_scan_zone.html", context)
    messages.add_message(request, level, text)
    return HttpResponseRedirect(_detail_url(count))


@access(permissions.STOCK_KEEPERS)
@require_POST
def stock_count_close(request: HttpRequest, pk: int) -> HttpResponse:
    count = get_stock_count_or_404(request, pk)
    _require_counter(request)
    try:
        count = services.close_stock_count(
            acting_user=acting_user_of(request), scope=scope_of(request), stock_count=count
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Inventaire terminé : %(missing)s, %(unexpected)s.")
            % {
                "missing": ngettext("%(n)s manquant", "%(n)s manquants", len(count.missing))
                % {"n": len(count.missing)},
                "unexpected": ngettext("%(n)s inattendu", "%(n)s inattendus", len(count.unexpected))
                % {"n": len(count.unexpected)},
            },
        )
    return HttpResponseRedirect(_detail_url(count))
