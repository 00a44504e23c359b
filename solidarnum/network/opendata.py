"""Open-data export of the places: the national schema "lieux de médiation numérique" v1.0.2.

The schema (a Frictionless Table Schema by ANCT and La MedNum, licence etalab-2.0) is vendored in
`opendata_schema.json` so that the application never reads the shared standards folder at run
time. One row per active reception point and per active relay (relais numérique); every value is
built from controlled vocabularies or checked against the schema's patterns before it is written.

Mapping decisions worth knowing (see the ADR on the open-data export):

- `pivot`: the structure's own SIRET when it has one, else the association's SIRET
  (`settings.ORGANISATION_SIRET`). Reception points have no SIRET of their own.
- `telephone` and `courriels` come from the place's generic contact fields (`phone`, `email`),
  never from the partner's named contact person (`contact_phone`, `contact_email`): those are
  personal data and are not published.
- `frais_a_charge` is "Payant" for every place: devices and top-ups are sold at solidarity prices,
  which are still prices. "Gratuit sous condition" would send people looking for free help to a
  counter where they will be asked to pay, however little.
- Formula injection (ADR 0018): free-text columns are neutralised as spreadsheets need
  (`common.spreadsheet.neutralise`); the columns the schema types (a pattern, a number, a date)
  are written as they are once they fit, so "+33…" phone numbers and negative longitudes stay
  valid. This is why the file is written with the standard `csv` module, not defusedcsv,
  which would quote every leading "+" and break the phone pattern.
- `services`: reception points publish their own list, restricted to the schema's vocabulary;
  when that list is empty, what every reception point does by definition (solidarity devices and
  connectivity). Relays sell solidarity top-ups only: "Accès internet et matériel informatique".
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solidarnum.common.spreadsheet import neutralise

from .enums import PlaceService
from .models import PartnerStructure, ReceptionPoint
from .selectors import public_places

logger = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).resolve().parent / "opendata_schema.json"
SEPARATOR = "|"  # multiple values in one field, as in the schema's example file
PRESENTATION_MAX_LENGTH = 280

RECEPTION_POINT_TYPOLOGY = "ASSO"  # the association itself (data·inclusion typology code)
# What a reception point offers by definition, used when its own list is empty.
RECEPTION_POINT_DEFAULT_SERVICES: tuple[str, ...] = (
    PlaceService.ACCESS.value,
    PlaceService.EQUIPMENT.value,
)
RELAY_SERVICES: tuple[str, ...] = (PlaceService.ACCESS.value,)
# See the module docstring: solidarity prices are still prices.
FEES = "Payant"
RECEPTION_POINT_SUPPORT = ("Accompagnement individuel", "Dans un atelier collectif")
ACCESS_IN_PERSON = "Se présenter"
ACCESS_BY_PHONE = "Téléphoner"

# Services grouped into the words of the short presentation.
_SUPPORT_SERVICES = frozenset(PlaceService.values) - {
    PlaceService.ACCESS.value,
    PlaceService.EQUIPMENT.value,
}


@cache
def schema() -> dict[str, Any]:
    """The vendored schema descriptor, read once."""
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


COLUMNS: tuple[str, ...] = tuple(field["name"] for field in schema()["fields"])


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        field["name"]: re.compile(field["constraints"]["pattern"])
        for field in schema()["fields"]
        if "pattern" in field.get("constraints", {})
    }


# What a value of a typed column looks like when the schema gives no pattern.
_TYPE_SHAPES = {"number": r"^-?\d+(\.\d+)?$", "integer": r"^-?\d+$", "date": r"^\d{4}-\d{2}-\d{2}$"}


@cache
def _typed() -> dict[str, re.Pattern[str]]:
    """Columns the schema constrains (a pattern, a number, a date), with the shape they take."""
    shapes = {}
    for field in schema()["fields"]:
        pattern = field.get("constraints", {}).get("pattern") or _TYPE_SHAPES.get(field["type"])
        if pattern:
            shapes[field["name"]] = re.compile(pattern)
    return shapes


@cache
def _required() -> frozenset[str]:
    return frozenset(
        field["name"]
        for field in schema()["fields"]
        if field.get("constraints", {}).get("required")
    )


def reception_point_services(place: ReceptionPoint) -> list[str]:
    """The place's services within the schema's vocabulary, in its order, without duplicates."""
    return listed_services(place.services)


def listed_services(codes: list[str] | None) -> list[str]:
    """A reception point's stored services within the schema's vocabulary, or what every
    reception point does when none is listed."""
    allowed = set(PlaceService.values)
    services = [code for code in dict.fromkeys(codes or []) if code in allowed]
    return services or list(RECEPTION_POINT_DEFAULT_SERVICES)


def relay_services(structure: PartnerStructure) -> list[str]:
    return list(RELAY_SERVICES)


def _join_fr(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(items)s et %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def _reception_point_summary(services: list[str]) -> str:
    words = []
    if PlaceService.EQUIPMENT.value in services:
        words.append(_("matériel reconditionné"))
    if PlaceService.ACCESS.value in services:
        words.append(_("connexion"))
    if _SUPPORT_SERVICES.intersection(services):
        words.append(_("accompagnement au numérique"))
    return _("Point d'accueil %(organisation)s : %(offer)s à prix solidaire.") % {
        "organisation": settings.ORGANISATION_NAME,
        "offer": _join_fr(words),
    }


def _relay_summary() -> str:
    return _(
        "Relais numérique (%(organisation)s) : recharges téléphone et internet à prix solidaire."
    ) % {"organisation": settings.ORGANISATION_NAME}


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _phone(place: ReceptionPoint | PartnerStructure) -> str:
    return place.phone.as_e164 if place.phone else ""


def _date(place: ReceptionPoint | PartnerStructure) -> str:
    return timezone.localtime(place.updated_at).date().isoformat()


def _access(place: ReceptionPoint | PartnerStructure) -> str:
    modes = [ACCESS_IN_PERSON] + ([ACCESS_BY_PHONE] if place.phone else [])
    return SEPARATOR.join(modes)


def _common(place: ReceptionPoint | PartnerStructure) -> dict[str, str]:
    return {
        "nom": place.name,
        "commune": place.commune,
        "code_postal": place.postcode,
        "code_insee": place.insee_code,
        "adresse": place.address,
        "complement_adresse": place.address_complement,
        "latitude": _decimal(place.latitude),
        "longitude": _decimal(place.longitude),
        "telephone": _phone(place),
        "courriels": place.email,
        "horaires": place.opening_hours,
        "source": settings.OPENDATA_SOURCE,
        "date_maj": _date(place),
        "frais_a_charge": FEES,
        "modalites_acces": _access(place),
    }


def reception_point_row(place: ReceptionPoint) -> dict[str, str]:
    services = reception_point_services(place)
    return _conform(
        {
            **_common(place),
            "id": f"point-accueil-{place.pk}",
            "pivot": settings.ORGANISATION_SIRET,
            "typologie": RECEPTION_POINT_TYPOLOGY,
            "presentation_resume": _reception_point_summary(services),
            "services": SEPARATOR.join(services),
            "dispositif_programmes_nationaux": settings.OPENDATA_PROGRAMME_RECEPTION_POINT,
            "modalites_accompagnement": SEPARATOR.join(RECEPTION_POINT_SUPPORT),
        }
    )


def relay_row(structure: PartnerStructure) -> dict[str, str]:
    return _conform(
        {
            **_common(structure),
            "id": f"relais-{structure.pk}",
            "pivot": structure.siret or settings.ORGANISATION_SIRET,
            "typologie": structure.typology,
            "presentation_resume": _relay_summary(),
            "structure_parente": settings.ORGANISATION_NAME,
            "services": SEPARATOR.join(relay_services(structure)),
            "dispositif_programmes_nationaux": settings.OPENDATA_PROGRAMME_RELAY,
        }
    )


def _conform(values: dict[str, str]) -> dict[str, str]:
    """Every column in schema order; an optional value breaking its pattern is left empty.

    A required value breaking its pattern is kept: the export must then fail validation loudly
    rather than hide the place.
    """
    row = {column: str(values.get(column) or "").strip() for column in COLUMNS}
    summary = row["presentation_resume"]
    if len(summary) > PRESENTATION_MAX_LENGTH:
        row["presentation_resume"] = summary[: PRESENTATION_MAX_LENGTH - 1].rstrip() + "…"
    for column, pattern in _patterns().items():
        value = row[column]
        if value and column not in _required() and not pattern.match(value):
            # Identifiers and field names only: never the value (it may be a phone number).
            logger.warning(
                "Open data: %s of %s does not fit the schema, left empty", column, row["id"]
            )
            row[column] = ""
    return row


def spreadsheet_safe(row: dict[str, str]) -> dict[str, str]:
    """The row as written: free text neutralised, typed values kept when they fit the schema."""
    typed = _typed()
    safe = {}
    for column, value in row.items():
        shape = typed.get(column)
        fits = shape is not None and shape.match(value) is not None
        safe[column] = value if fits or not value else str(neutralise(value))
    return safe


def place_rows() -> Iterator[dict[str, str]]:
    """One row per active reception point, then per active relay, each by name."""
    reception_points, relays = public_places()
    for place in reception_points.iterator(chunk_size=500):
        with translation.override("fr"):
            row = reception_point_row(place)
        yield row
    for structure in relays.iterator(chunk_size=500):
        with translation.override("fr"):
            row = relay_row(structure)
        yield row


class _Echo:
    """A file-like object whose `write` hands the line back, for streaming with `csv.writer`."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict[str, str]] | None = None) -> Iterator[str]:
    """The CSV, line by line: header then rows, every column in schema order."""
    writer = csv.DictWriter(_Echo(), fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL)
    yield writer.writeheader()
    for row in place_rows() if rows is None else rows:
        yield writer.writerow(spreadsheet_safe(row))


def write_csv(stream: IO[str]) -> None:
    """Write the CSV to a text stream (open it with `newline=""` and UTF-8)."""
    for line in csv_lines():
        stream.write(line)


def suggested_filename(territory: str = "france") -> str:
    """`YYYY-MM-DD_<SIRET producteur>_lieux-de-mediation-numerique_<territoire>.csv`."""
    today = timezone.localdate().isoformat()
    return f"{today}_{settings.ORGANISATION_SIRET}_lieux-de-mediation-numerique_{territory}.csv"
