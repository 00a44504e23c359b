"""The directory's queries: both kinds of places (reception points, relays) read as one list.

Places are few (tens of reception points, hundreds of relays at most), but the page still costs
a fixed number of queries and counts nothing it does not show (LazyPaginator).
"""

from __future__ import annotations

from typing import Any, Final, Literal

from django.db.models import CharField, QuerySet, Value

from solidarnum.network import opendata
from solidarnum.network.models import PartnerStructure, ReceptionPoint

Kind = Literal["point", "relais"]
RECEPTION_POINT: Final = "point"
RELAY: Final = "relais"


def directory_communes(
    reception_points: QuerySet[ReceptionPoint], relays: QuerySet[PartnerStructure]
) -> list[str]:
    """The communes with an open place, sorted, in one query."""
    rows = (
        reception_points.order_by()
        .values_list("commune", flat=True)
        .union(relays.order_by().values_list("commune", flat=True))
    )
    return sorted({commune for commune in rows if commune})


def reception_point_services(reception_points: QuerySet[ReceptionPoint]) -> dict[int, list[str]]:
    """Each open reception point's services (the open-data rule: none listed means devices and
    connection), in one query. Read in Python: SQLite cannot search inside a JSON list."""
    return {
        pk: opendata.listed_services(services)
        for pk, services in reception_points.values_list("pk", "services")
    }


def directory_index(
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


def places_by_pk(
    page_rows: list[tuple[str, str, int]],
    reception_points: QuerySet[ReceptionPoint],
    relays: QuerySet[PartnerStructure],
) -> tuple[dict[int, ReceptionPoint], dict[int, PartnerStructure]]:
    """The page's places, in at most two queries."""
    point_ids = [pk for _name, kind, pk in page_rows if kind == RECEPTION_POINT]
    relay_ids = [pk for _name, kind, pk in page_rows if kind == RELAY]
    points = reception_points.in_bulk(point_ids) if point_ids else {}
    relay_objects = relays.in_bulk(relay_ids) if relay_ids else {}
    return points, relay_objects
