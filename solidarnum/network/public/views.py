"""Public pages of the network: the directory of places and its open-data export. No login."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet, Value
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from solidarnum.accounts.access import PUBLIC, access
from solidarnum.network import opendata
from solidarnum.network.enums import PlaceService
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.network.opening_hours import describe_opening_hours
from solidarnum.network.selectors import public_places

PAGE_SIZE = 25
QUERY_MAX_LENGTH = 100
CACHE_SECONDS = 300

Kind = Literal["point", "relais"]
RECEPTION_POINT: Final = "point"
RELAY: Final = "relais"

_SERVICE_LABELS = dict(PlaceService.choices)


@dataclass(frozen=True)
class DirectoryEntry:
    """One line of the directory: a reception point or a relay, ready for the template."""

    kind: Kind
    place: ReceptionPoint | PartnerStructure
    services: list[str] = field(default_factory=list)
    hours: list[str] = field(default_factory=list)
    accessibility: str = ""

    @property
    def is_relay(self) -> bool:
        return self.kind == RELAY


# --- The directory --------------------------------------------------------------------------------


def _search(querysets: tuple[QuerySet[Any], ...], q: str) -> tuple[QuerySet[Any], ...]:
    if not q:
        return querysets
    condition = Q(commune__icontains=q) | Q(postcode__startswith=q)
    return tuple(qs.filter(condition) for qs in querysets)


def _index(
    reception_points: QuerySet[ReceptionPoint], relays: QuerySet[PartnerStructure]
) -> QuerySet[Any]:
    """(name, kind, pk) of both kinds of places in one query, sorted by name, for the paginator."""
    points = reception_points.order_by().annotate(
        kind=Value(RECEPTION_POINT, output_field=CharField())
    )
    relay_rows = relays.order_by().annotate(kind=Value(RELAY, output_field=CharField()))
    return (
        points.values_list("name", "kind", "pk")
        .union(relay_rows.values_list("name", "kind", "pk"), all=True)
        .order_by("name", "kind", "pk")
    )


def _entries(
    page_rows: list[tuple[str, str, int]],
    reception_points: QuerySet[ReceptionPoint],
    relays: QuerySet[PartnerStructure],
) -> list[DirectoryEntry]:
    """The page's places, fetched in at most two queries, in the index order."""
    point_ids = [pk for _name, kind, pk in page_rows if kind == RECEPTION_POINT]
    relay_ids = [pk for _name, kind, pk in page_rows if kind == RELAY]
    points = reception_points.in_bulk(point_ids) if point_ids else {}
    relay_objects = relays.in_bulk(relay_ids) if relay_ids else {}
    relay_services = [str(_SERVICE_LABELS[code]) for code in opendata.RELAY_SERVICES]
    entries = []
    for _name, kind, pk in page_rows:
        if kind == RECEPTION_POINT and pk in points:
            point = points[pk]
            services = [
                str(_SERVICE_LABELS[code]) for code in opendata.reception_point_services(point)
            ]
            entries.append(
                DirectoryEntry(
                    RECEPTION_POINT,
                    point,
                    services,
                    describe_opening_hours(point.opening_hours),
                    point.accessibility_notes,
                )
            )
        elif kind == RELAY and pk in relay_objects:
            relay = relay_objects[pk]
            entries.append(
                DirectoryEntry(
                    RELAY, relay, relay_services, describe_opening_hours(relay.opening_hours)
                )
            )
    return entries


@access(PUBLIC)
@require_safe
@cache_control(max_age=CACHE_SECONDS, private=True)
def directory(request: HttpRequest) -> HttpResponse:
    """Active reception points and relays, searchable by commune or postcode, 25 per page.

    A constant number of queries: count and page of the combined index, then one query per kind
    for the places of the page. `private`: the page carries a CSRF token and, for signed-in
    users, their navigation, so shared caches must not keep it.
    """
    q = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    reception_points, relays = _search(public_places(), q)
    paginator = Paginator(_index(reception_points, relays), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    entries = _entries(list(page.object_list), reception_points, relays)
    return render(
        request,
        "network/public/directory.html",
        {
            "q": q,
            "page_obj": page,
            "paginator": paginator,
            "entries": entries,
            "organisation_name": settings.ORGANISATION_NAME,
        },
    )


@access(PUBLIC)  # type: ignore[arg-type]  # access() is typed for HttpResponse only
@require_safe
@cache_control(max_age=CACHE_SECONDS, public=True)
def opendata_places_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The open-data CSV (schema "lieux de médiation numérique" v1.0.2), streamed."""
    response = StreamingHttpResponse(opendata.csv_lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{opendata.suggested_filename()}"'
    return response
