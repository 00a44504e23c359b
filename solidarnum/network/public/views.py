"""Public pages of the network: the directory of places and its open-data export. No login.

The directory is read by the people served, in their language (ADR 0025): filters by commune
and service, twelve compact cards a page, opening hours in words, never the OpenStreetMap code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from solidarnum.accounts.access import PUBLIC, access
from solidarnum.common.language import person_facing
from solidarnum.common.lists import LazyPaginator
from solidarnum.network import opendata
from solidarnum.network.maps import map_url
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.network.opening_hours import describe_opening_hours
from solidarnum.network.selectors import public_places

from .filters import PlaceFilter
from .labels import SERVICE_LABELS
from .selectors import (
    RECEPTION_POINT,
    RELAY,
    Kind,
    directory_communes,
    directory_index,
    places_by_pk,
    reception_point_services,
)

PAGE_SIZE = 12  # fills the grid at one, two, three or four columns
# Beyond this, a page number is not one a person reached by the links: back to the first page
# (and no OFFSET too large for the database).
MAX_PAGE = 10_000
CACHE_SECONDS = 300


@dataclass(frozen=True)
class DirectoryEntry:
    """One card of the directory: a reception point or a relay, ready for the template."""

    kind: Kind
    place: ReceptionPoint | PartnerStructure
    services: list[str] = field(default_factory=list)
    hours: list[str] = field(default_factory=list)
    accessibility: str = ""
    map_url: str = ""

    @property
    def is_relay(self) -> bool:
        return self.kind == RELAY


def _labels(codes: list[str]) -> list[str]:
    """The people's words for the services, in the people's order."""
    return [str(label) for service, label in SERVICE_LABELS.items() if service.value in codes]


def _entries(
    page_rows: list[tuple[str, str, int]],
    reception_points: dict[int, ReceptionPoint],
    relays: dict[int, PartnerStructure],
    services_by_point: dict[int, list[str]],
) -> list[DirectoryEntry]:
    relay_services = _labels(list(opendata.RELAY_SERVICES))
    entries = []
    for _name, kind, pk in page_rows:
        if kind == RECEPTION_POINT and pk in reception_points:
            point = reception_points[pk]
            codes = services_by_point.get(pk) or opendata.reception_point_services(point)
            entries.append(
                DirectoryEntry(
                    RECEPTION_POINT,
                    point,
                    _labels(codes),
                    describe_opening_hours(point.opening_hours),
                    point.accessibility_notes,
                    map_url(point),
                )
            )
        elif kind == RELAY and pk in relays:
            relay = relays[pk]
            entries.append(
                DirectoryEntry(
                    RELAY,
                    relay,
                    relay_services,
                    describe_opening_hours(relay.opening_hours),
                    map_url=map_url(relay),
                )
            )
    return entries


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


@person_facing
@access(PUBLIC)
@require_safe
@cache_control(max_age=CACHE_SECONDS, private=True)
def directory(request: HttpRequest) -> HttpResponse:
    """Open reception points and relays, filtered by commune and service, twelve per page.

    A constant number of queries and no COUNT: communes, services, the page of the combined
    index (one row ahead), then one query per kind for the places of the page. `private`: the
    page carries a CSRF token and, for signed-in users, their navigation, so shared caches must
    not keep it.
    """
    all_points, all_relays = public_places()
    services_by_point = reception_point_services(all_points)
    filterset = PlaceFilter(
        request.GET or None,
        queryset=all_points,
        communes=directory_communes(all_points, all_relays),
        services_by_point=services_by_point,
    )
    reception_points = filterset.qs  # validates the form first
    relays = filterset.filter_queryset(all_relays) if filterset.is_bound else all_relays
    paginator = LazyPaginator(directory_index(reception_points, relays), PAGE_SIZE)
    try:
        page = paginator.page(_page_number(request.GET.get("page")))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    rows = list(page.object_list)
    points_of_page, relays_of_page = places_by_pk(rows, reception_points, relays)
    first = (page.number - 1) * PAGE_SIZE + 1
    return render(
        request,
        "network/public/directory.html",
        {
            "filter": filterset,
            "is_filtered": filterset.is_bound
            and any(filterset.form.cleaned_data.get(name) for name in filterset.filters),
            "page_obj": page,
            "first": first,
            "last": first + len(rows) - 1,
            "entries": _entries(rows, points_of_page, relays_of_page, services_by_point),
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
