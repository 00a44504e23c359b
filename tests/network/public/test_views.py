"""The public directory of places and the open-data CSV: no login, constant queries."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from solidarnum.accounts.access import PUBLIC, rule_of
from solidarnum.network import opendata
from solidarnum.network.models import ReceptionPoint
from solidarnum.network.opening_hours import describe_opening_hours
from tests.network.factories import COMMUNES, PartnerStructureFactory, ReceptionPointFactory
from tests.network.test_opendata import assert_valid, validate_file

DIRECTORY = reverse("network:public_directory")
CSV_URL = reverse("network:opendata_places_csv")


@pytest.fixture
def places(db):
    paris = ReceptionPointFactory(
        name="Paris 19e",
        postcode="75019",
        commune="Paris",
        insee_code="75119",
        accessibility_notes="Rampe côté cour.",
    )
    lyon = ReceptionPointFactory(
        name="Lyon Guillotière", postcode="69007", commune="Lyon", insee_code="69387"
    )
    closed = ReceptionPointFactory(
        name="Point fermé", postcode="75011", commune="Paris", is_active=False
    )
    relay = PartnerStructureFactory(
        name="Relais de Pantin",
        postcode="93500",
        commune="Pantin",
        insee_code="93055",
        is_relay=True,
        reception_point=paris,
    )
    closed_relay = PartnerStructureFactory(
        name="Relais fermé",
        postcode="75020",
        commune="Paris",
        is_relay=True,
        is_active=False,
        reception_point=paris,
    )
    partner = PartnerStructureFactory(
        name="CCAS orienteur", postcode="75019", commune="Paris", reception_point=paris
    )
    return {
        "paris": paris,
        "lyon": lyon,
        "closed": closed,
        "relay": relay,
        "closed_relay": closed_relay,
        "partner": partner,
    }


def listed_names(response) -> list[str]:
    return [entry.place.name for entry in response.context["entries"]]


# --- Routing and access ---------------------------------------------------------------------------


def test_both_views_declare_the_public_rule():
    assert rule_of(resolve(DIRECTORY).func) is PUBLIC
    assert rule_of(resolve(CSV_URL).func) is PUBLIC
    assert DIRECTORY == "/lieux/"
    assert CSV_URL == "/opendata/lieux-de-mediation-numerique.csv"


# --- The directory --------------------------------------------------------------------------------


def test_directory_answers_without_login_and_lists_active_places_only(client, places):
    response = client.get(DIRECTORY)

    assert response.status_code == 200
    assert listed_names(response) == ["Lyon Guillotière", "Paris 19e", "Relais de Pantin"]
    html = response.content.decode()
    for shown in ("Paris 19e", "Lyon Guillotière", "Relais de Pantin", "Rampe côté cour."):
        assert shown in html
    for hidden in ("Point fermé", "Relais fermé", "CCAS orienteur"):
        assert hidden not in html


def test_directory_shows_address_phone_hours_and_services(client, places):
    paris = places["paris"]

    html = client.get(DIRECTORY).content.decode()

    assert paris.address in html
    assert f'href="tel:{paris.phone.as_e164}"' in html
    assert paris.phone.as_national in html
    assert "Du lundi au vendredi : de 9h30 à 12h30 et de 14h à 18h" in html
    # The OpenStreetMap code is for machines (the open-data file), never shown to the public.
    assert "Mo-Fr 09:30-12:30,14:00-18:00; Sa 09:30-12:30" not in html
    assert "OpenStreetMap" not in html


def test_directory_hours_beyond_simple_rules_are_told_in_plain_words(client, places):
    paris = places["paris"]
    paris.opening_hours = "Mo-Fr 09:00-18:00; Jul-Aug off"
    paris.save()

    html = client.get(DIRECTORY).content.decode()

    assert "Jul-Aug" not in html
    assert "Horaires particuliers : appelez le lieu ou écrivez-lui pour les connaître." in html
    assert "Acquisition de matériel informatique à prix solidaire" in html
    assert "Relais numérique" in html
    assert f'href="{CSV_URL}"' in html


def test_directory_markup_is_accessible_and_csp_friendly(client, places):
    html = client.get(DIRECTORY).content.decode()

    assert html.count("<h1") == 1
    assert "<caption>" in html
    assert '<label for="q">' in html
    assert 'id="q"' in html
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_directory_is_cacheable_for_five_minutes(client, places):
    response = client.get(DIRECTORY)

    assert "max-age=300" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Lyon", ["Lyon Guillotière"]),
        ("lyon", ["Lyon Guillotière"]),
        ("69007", ["Lyon Guillotière"]),
        ("75", ["Paris 19e"]),
        ("93500", ["Relais de Pantin"]),
        ("  Pantin ", ["Relais de Pantin"]),
        ("Marseille", []),
    ],
)
def test_directory_filters_by_commune_or_postcode(client, places, q, expected):
    response = client.get(DIRECTORY, {"q": q})

    assert response.status_code == 200
    assert listed_names(response) == expected
    assert response.context["q"] == q.strip()
    if not expected:
        assert f"Aucun lieu trouvé pour « {q} »." in response.content.decode()


def test_directory_filter_excludes_inactive_places(client, places):
    response = client.get(DIRECTORY, {"q": "Paris"})

    assert listed_names(response) == ["Paris 19e"]


def test_directory_rejects_writes(client, places):
    assert client.post(DIRECTORY).status_code == 405


def test_directory_paginates_by_25_and_keeps_the_search(client, db):
    for index in range(20):
        ReceptionPointFactory(name=f"Lieu {index:02d}", postcode="75019", commune="Paris")
    parent = ReceptionPointFactory(name="Lieu de rattachement", postcode="13001")
    for index in range(10):
        PartnerStructureFactory(
            name=f"Lieu relais {index:02d}",
            postcode="75019",
            commune="Paris",
            is_relay=True,
            reception_point=parent,
        )

    first = client.get(DIRECTORY, {"q": "75019"})
    second = client.get(DIRECTORY, {"q": "75019", "page": 2})
    beyond = client.get(DIRECTORY, {"q": "75019", "page": 99})

    assert first.context["paginator"].count == 30
    assert len(first.context["entries"]) == 25
    assert listed_names(second)[-1] == "Lieu relais 09"
    assert len(second.context["entries"]) == 5
    assert listed_names(beyond) == listed_names(second)
    assert set(listed_names(first)).isdisjoint(listed_names(second))
    assert "?q=75019&amp;page=2" in first.content.decode()


def _queries(client, **params: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    return len(context.captured_queries)


def _grow(count: int) -> None:
    """`count` reception points and as many relays in the same communes, their names interleaved
    so that every page, searched or not, holds both kinds."""
    start = ReceptionPoint.objects.count()
    for index in range(start, start + count):
        postcode, commune, insee, _lat, _lon = COMMUNES[index % 2]
        where = {"postcode": postcode, "commune": commune, "insee_code": insee}
        point = ReceptionPointFactory(name=f"Lieu {index:03d} a", **where)
        PartnerStructureFactory(
            name=f"Lieu {index:03d} b", is_relay=True, reception_point=point, **where
        )


def test_directory_query_count_does_not_grow_with_the_number_of_places(
    client, db, django_assert_max_num_queries
):
    _grow(3)
    with django_assert_max_num_queries(4):  # count, page of the index, points, relays
        client.get(DIRECTORY)
    small = _queries(client)
    small_search = _queries(client, q="Paris")
    assert small == small_search == 4

    _grow(27)
    with django_assert_max_num_queries(4):
        response = client.get(DIRECTORY)
    entries = response.context["entries"]
    assert len(entries) == 25
    assert {entry.kind for entry in entries} == {"point", "relais"}

    assert _queries(client) == small
    assert _queries(client, q="Paris") == small_search
    assert _queries(client, page="2") == small


# --- The CSV --------------------------------------------------------------------------------------


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_is_public_with_the_suggested_file_name(client, places, settings, time_machine):
    time_machine.move_to("2025-03-14 10:00:00+01:00")
    settings.ORGANISATION_SIRET = "79388932600021"

    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="2025-03-14_79388932600021_lieux-de-mediation-numerique_france.csv"'
    )
    assert "max-age=300" in response["Cache-Control"]


def test_csv_lists_active_places_and_validates(client, places, tmp_path):
    response = client.get(CSV_URL)
    body = _body(response)

    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["nom"] for row in rows] == ["Lyon Guillotière", "Paris 19e", "Relais de Pantin"]
    assert tuple(body.splitlines()[0].split(",")) == opendata.COLUMNS
    path = tmp_path / "telechargement.csv"
    path.write_bytes(body.encode("utf-8"))
    assert_valid(validate_file(path))


def test_csv_rejects_writes(client, places):
    assert client.post(CSV_URL).status_code == 405


# --- Opening hours in plain French ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        (
            "Mo-Fr 09:30-12:30,14:00-18:00; Sa 09:00-12:00",
            [
                "Du lundi au vendredi : de 9h30 à 12h30 et de 14h à 18h",
                "Le samedi : de 9h à 12h",
            ],
        ),
        ("Mo,We,Fr 14:00-17:30", ["Le lundi, le mercredi, le vendredi : de 14h à 17h30"]),
        (
            "Tu-Th 10:00-12:00; PH off",
            ["Du mardi au jeudi : de 10h à 12h", "Les jours fériés : fermé"],
        ),
        ("24/7", ["Tous les jours, 24 heures sur 24"]),
        ("Mo-Fr 09:00-18:00; Jul-Aug off", []),  # beyond simple rules: raw value only
        ('Mo 10:00-12:00 "sur rendez-vous"', []),
    ],
)
def test_describe_opening_hours(value, expected):
    assert describe_opening_hours(value) == expected
