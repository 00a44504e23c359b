"""Stock and devices: the stock overview, the device search, the device page, a manual status
change, and the data-erasure records with their certificates.

Views stay thin: devices come from the scoped selectors (another site's device answers 404),
every change goes through `services`, and a refused move is shown as a French message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from solidarnum.accounts.access import AccessRuleMixin, access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.lists import LazyPaginator
from solidarnum.equipment import lifecycle, permissions, selectors
from solidarnum.equipment.enums import DeviceKind, Grade, Status
from solidarnum.equipment.models import Device
from solidarnum.network.models import ReceptionPoint
from solidarnum.network.selectors import reception_points_for
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from . import selectors as device_selectors
from . import services
from .filters import IN_TRANSIT, DeviceFilter
from .forms import ErasureForm, StatusChangeForm, StockSiteForm
from .tables import DeviceTable, euros, place_of, status_badge

# Who may change a device by hand (the service then checks the device and the move).
DEVICE_WRITERS = roles(Role.NATIONAL_ADMIN, *permissions.SITE_STAFF, Role.REFURBISHER_CONTACT)

# Five places a page: the national view stays under 30 KB of HTML (ADR 0027).
POINTS_PER_PAGE = 5


def _form_errors(request: HttpRequest) -> None:
    messages.error(request, _("Le formulaire contient des erreurs : rien n'a été enregistré."))


def _detail_url(device: Device) -> str:
    return reverse("equipment:device_detail", kwargs={"pk": device.pk})


def _list_url(**params: Any) -> str:
    return (
        reverse("equipment:device_list") + "?" + urlencode({k: v for k, v in params.items() if v})
    )


# --- Stock overview ------------------------------------------------------------------------------


@dataclass
class StockCell:
    count: int
    url: str
    price: str
    label: str = ""  # the grade, said before the count when the grid is stacked on a phone


@dataclass
class StockRow:
    kind: str
    cells: list[StockCell]
    total: StockCell


@dataclass
class PointStock:
    point: ReceptionPoint
    rows: list[StockRow]
    available: int
    others: list[tuple[str, int, str]] = field(default_factory=list)  # label, count, url
    incoming: int = 0
    incoming_url: str = ""


def _point_stock(
    point: ReceptionPoint,
    counts: dict[tuple[str, str, str], int],
    incoming: int,
    prices: dict[tuple[str, str], Decimal],
    *,
    by_point: bool,
) -> PointStock:
    site = point.pk if by_point else None
    available = Status.AVAILABLE.value
    rows = []
    for kind in DeviceKind:
        cells = [
            StockCell(
                count=counts.get((available, kind.value, grade.value), 0),
                url=_list_url(
                    status=available, kind=kind.value, grade=grade.value, reception_point=site
                ),
                price=euros(prices.get((kind.value, grade.value))),
                label=str(grade.label),
            )
            for grade in Grade
        ]
        total = sum(n for (status, k, _g), n in counts.items() if status == available and k == kind)
        rows.append(
            StockRow(
                kind=str(kind.label),
                cells=cells,
                total=StockCell(
                    count=total,
                    url=_list_url(status=available, kind=kind.value, reception_point=site),
                    price="",
                ),
            )
        )
    others = [
        (
            str(status.label),
            sum(n for (s, _k, _g), n in counts.items() if s == status),
            _list_url(status=status.value, reception_point=site),
        )
        for status in (Status.TO_CHECK, Status.TO_REPAIR, Status.RESERVED)
    ]
    return PointStock(
        point=point,
        rows=rows,
        available=sum(row.total.count for row in rows),
        others=others,
        incoming=incoming,
        incoming_url=_list_url(place=IN_TRANSIT) if not by_point else "",
    )


def _stock_of(points: list[ReceptionPoint], *, by_point: bool) -> list[PointStock]:
    """Counts of every listed point in one aggregate query (served by the
    reception_point/status/kind/grade index), incoming transfers in another."""
    ids = [point.pk for point in points]
    counts = device_selectors.stock_counts(ids)
    incoming = device_selectors.incoming_transfer_counts(ids)
    prices = selectors.prices_today()
    return [
        _point_stock(point, counts[point.pk], incoming.get(point.pk, 0), prices, by_point=by_point)
        for point in points
    ]


def _transfers_url(scope: Scope) -> str:
    """The logistics pages, for those who send and receive transfers."""
    if not permissions.TRANSFER_ACTORS.allows(scope):
        return ""
    return reverse("equipment:transfer_list")


@access(permissions.STOCK_READERS)
@require_GET
def stock_overview(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    context: dict[str, Any] = {"title": _("Stock"), "grades": list(Grade)}
    if scope.is_national_admin:
        all_points = reception_points_for(scope).order_by("name").only("pk", "name", "is_active")
        site_form = StockSiteForm(request.GET or None, points=reception_points_for(scope))
        chosen = site_form.cleaned_data.get("site") if site_form.is_valid() else None
        points: Any = [chosen] if chosen is not None else all_points
        page = Paginator(points, POINTS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            {
                "site_form": site_form,
                "page": page if page.paginator.num_pages > 1 else None,
                "stocks": _stock_of(list(page.object_list), by_point=True),
            }
        )
    else:
        membership = scope.membership
        assert membership is not None and membership.reception_point is not None
        context["stocks"] = _stock_of([membership.reception_point], by_point=False)
    context["transfers_url"] = _transfers_url(scope)
    return render(request, "equipment/devices/stock_overview.html", context)


# --- Device search -------------------------------------------------------------------------------


class DeviceList(AccessRuleMixin, SingleTableMixin, FilterView):
    """Devices the caller may see, filtered in place. Pages are counted lazily: no COUNT(*)."""

    access_rule = permissions.DEVICE_READERS
    template_name = "equipment/devices/device_list.html"
    table_class = DeviceTable
    filterset_class = DeviceFilter
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}

    def get_queryset(self) -> QuerySet[Device]:
        devices = selectors.devices_for(scope_of(self.request)).select_related("transfer__to_point")
        return selectors.with_price_today(devices)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Appareils")
        context["can_see_stock"] = permissions.STOCK_READERS.allows(scope_of(self.request))
        return context


device_list = DeviceList.as_view()


# --- Device page ---------------------------------------------------------------------------------


def allowed_targets(scope: Scope, device: Device) -> list[Status]:
    """The statuses this person may choose by hand for this device now."""
    return [
        target
        for target in lifecycle.manual_targets(device.status)
        if permissions.can_move(scope, device, target)
    ]


def sees_person(scope: Scope, device: Device) -> bool:
    """Only the team in charge at the device's site sees for whom it is held."""
    return (
        scope.role in permissions.SITE_STAFF
        and device.reception_point_id is not None
        and scope.reception_point_id == device.reception_point_id
    )


def beneficiary_url(public_id: Any) -> str:
    return reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": public_id})


def _render_detail(
    request: HttpRequest,
    device: Device,
    *,
    status_form: StatusChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = scope_of(request)
    targets = allowed_targets(scope, device)
    if status_form is None and targets:
        status_form = StatusChangeForm(targets=targets)
    person = None
    person_url = ""
    show_person = sees_person(scope, device)
    if show_person:
        person = device.reserved_for or device.sold_to
        person_url = beneficiary_url(person.public_id) if person is not None else ""
    price = selectors.price_for(device.kind, device.grade)
    erasures = list(device.erasures.select_related("recorded_by"))
    context = {
        "device": device,
        "scope": scope,
        "status_badge": status_badge(device),
        "place": place_of(device),
        "price_today": euros(price.amount) if price is not None else "",
        "erasures": erasures,
        "erasure_state": selectors.erasure_state_of(erasures),
        "checks": list(device.checks.select_related("performed_by", "reception_point")),
        "events": list(device.events.select_related("actor").order_by("-at", "-id")),
        "status_form": status_form,
        "can_record_erasure": permissions.can_record_erasure(scope, device),
        "show_person": show_person,
        "person": person,
        "person_url": person_url,
        "sale_price": euros(device.sale_price),
    }
    return render(request, "equipment/devices/device_detail.html", context, status=status)


@access(permissions.DEVICE_READERS)
@require_GET
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = selectors.get_device_or_404(request, pk)
    return _render_detail(request, device)


@access(DEVICE_WRITERS)
@require_POST
def device_status(request: HttpRequest, pk: int) -> HttpResponse:
    device = selectors.get_device_or_404(request, pk)
    scope = scope_of(request)
    if not lifecycle.manual_targets(device.status):
        messages.error(
            request,
            _("Le statut « %(status)s » ne se change pas à la main.")
            % {"status": device.get_status_display()},
        )
        return HttpResponseRedirect(_detail_url(device))
    targets = allowed_targets(scope, device)
    if not targets:
        raise PermissionDenied
    form = StatusChangeForm(request.POST, targets=targets)
    if not form.is_valid():
        _form_errors(request)
        return _render_detail(request, device, status_form=form, status=400)
    try:
        device = services.change_status(
            acting_user=acting_user_of(request),
            scope=scope,
            device=device,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("L'appareil est maintenant « %(status)s ».")
            % {"status": device.get_status_display()},
        )
    return HttpResponseRedirect(_detail_url(device))


# --- Data erasure --------------------------------------------------------------------------------


@access(DEVICE_WRITERS)
@require_http_methods(["GET", "POST"])
def device_erasure_add(request: HttpRequest, pk: int) -> HttpResponse:
    device = selectors.get_device_or_404(request, pk)
    scope = scope_of(request)
    if not permissions.can_record_erasure(scope, device):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ErasureForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                services.record_erasure(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    device=device,
                    certificate=form.cleaned_data["certificate"],
                    **form.service_fields(),
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("L'effacement des données est enregistré."))
                return HttpResponseRedirect(_detail_url(device))
        _form_errors(request)
    else:
        form = ErasureForm()
    return render(
        request,
        "equipment/devices/erasure_form.html",
        {"device": device, "form": form},
        status=status,
    )


@access(permissions.DEVICE_READERS)  # type: ignore[arg-type]  # access() is typed for HttpResponse
@require_GET
def erasure_certificate(request: HttpRequest, pk: int) -> FileResponse:
    """The certificate, streamed through this check: the media folder is never served."""
    erasure = device_selectors.get_erasure_or_404(request, pk)
    if not erasure.certificate:
        raise Http404
    try:
        handle = erasure.certificate.open("rb")
    except OSError as error:
        raise Http404 from error
    record(actor=request.user, action=AuditAction.EXPORT, obj=erasure)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"effacement-{erasure.device.serial_number}-{erasure.pk}.pdf",
        content_type="application/pdf",
    )
