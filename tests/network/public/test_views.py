"""The public directory of places and the open-data CSV: no login, constant queries."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from solidarnum.accounts.access import PUBLIC, rule_of
from solidarnum.network import opendata
from solidarnum.network.enums import PlaceService
from solidarnum.network.models import ReceptionPoint
from solidarnum.network.opening_hours import describe_opening_hours
from tests.network.factories import COMMUNES, PartnerStructureFactory, ReceptionPointFactory
from tests.network.test_opendata import assert_valid, validate_file
from tests.pages import count_queries

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


def test_directory_shows_address_phone_hours_and_services_in_plain_words(client, places):
    paris = places["paris"]

    html = unescape(client.get(DIRECTORY).content.decode())

    assert paris.address in html
    assert f'href="tel:{paris.phone.as_e164}"' in html
    assert paris.phone.as_national in html
    assert "Du lundi au vendredi : de 9h30 à 12h30 et de 14h à 18h" in html
    # The OpenStreetMap code is for machines (the open-data file), never shown to the public.
    assert "Mo-Fr 09:30-12:30,14:00-18:00; Sa 09:30-12:30" not in html
    assert "Mo-Fr" not in html
    assert "OpenStreetMap" not in html
    # Services in the words of the people served, not the national nomenclature's.
    assert "Acheter un ordinateur ou un téléphone à petit prix" in html
    assert "Acquisition de matériel informatique à prix solidaire" not in html


def test_directory_hours_beyond_simple_rules_are_told_in_plain_words(client, places):
    paris = places["paris"]
    paris.opening_hours = "Mo-Fr 09:00-18:00; Jul-Aug off"
    paris.save()

    html = unescape(client.get(DIRECTORY).content.decode())

    assert "Jul-Aug" not in html
    assert "Horaires particuliers : appelez le lieu pour les connaître." in html
    assert "Relais numérique" in html
    assert f'href="{CSV_URL}"' in html


def test_directory_gives_one_compact_card_per_place(client, places):
    html = client.get(DIRECTORY).content.decode()

    assert html.count("<h1") == 1
    assert html.count('class="place-card"') == 3
    assert html.count("<h2") == 3 + 1  # one per place, then the open data
    assert "<table" not in html
    # Services and accessibility fold under the card, in a native disclosure (no script).
    assert html.count("<details") == 3
    assert '<label for="id_commune">' in html
    assert '<label for="id_service">' in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_directory_is_cacheable_for_five_minutes(client, places):
    response = client.get(DIRECTORY)

    assert "max-age=300" in response["Cache-Control"]


def test_directory_offers_the_communes_of_open_places_only(client, places):
    ReceptionPointFactory(name="Fermé à Marseille", commune="Marseille", is_active=False)

    response = client.get(DIRECTORY)

    choices = [value for value, _label in response.context["filter"].form["commune"].field.choices]
    assert choices == ["", "Lyon", "Pantin", "Paris"]


@pytest.mark.parametrize(
    ("commune", "expected"),
    [
        ("Lyon", ["Lyon Guillotière"]),
        ("Paris", ["Paris 19e"]),  # not the closed point, the closed relay or a mere partner
        ("Pantin", ["Relais de Pantin"]),
        ("", ["Lyon Guillotière", "Paris 19e", "Relais de Pantin"]),
    ],
)
def test_directory_filters_by_commune(client, places, commune, expected):
    response = client.get(DIRECTORY, {"commune": commune})

    assert response.status_code == 200
    assert listed_names(response) == expected


def test_directory_filters_by_service(client, places):
    places["lyon"].services = [PlaceService.ADMIN.value]
    places["lyon"].save()
    places["paris"].services = []  # what every reception point does: devices and connection
    places["paris"].save()

    def names(service):
        return listed_names(client.get(DIRECTORY, {"service": service}))

    assert names("admin") == ["Lyon Guillotière"]
    assert names("equipment") == ["Paris 19e"]
    # Relays sell solidarity top-ups: they are places to get connected.
    assert names("access") == ["Paris 19e", "Relais de Pantin"]
    assert listed_names(client.get(DIRECTORY, {"service": "access", "commune": "Pantin"})) == [
        "Relais de Pantin"
    ]


def test_directory_offers_the_services_some_open_place_gives(client, places):
    places["lyon"].services = [PlaceService.ADMIN.value]
    places["lyon"].save()

    response = client.get(DIRECTORY)

    choices = [value for value, _label in response.context["filter"].form["service"].field.choices]
    # Paris 19e (factory services), Lyon (admin), the relay (connection); in the people's order.
    assert choices == ["", "equipment", "access", "daily_tools", "admin"]


def test_directory_says_when_nothing_matches(client, places):
    html = unescape(
        client.get(DIRECTORY, {"commune": "Pantin", "service": "equipment"}).content.decode()
    )

    assert "Aucun lieu ne correspond à votre recherche." in html


@pytest.mark.parametrize(
    "params",
    [
        {"commune": "Atlantis"},
        {"commune": "x" * 10_000},
        {"commune": "Paris\x00"},
        {"service": "teleportation"},
        {"service": ["admin", "access"]},
        {"page": "abc"},
        {"page": "0"},
        {"page": "-3"},
        {"page": "2.5"},
        {"page": "99"},
        {"page": str(10**30)},
        {"lang": "xx-nope"},
    ],
    ids=lambda params: "-".join(f"{key}={str(value)[:12]!r}" for key, value in params.items()),
)
def test_directory_bad_input_never_fails(client, places, params):
    response = client.get(DIRECTORY, params)

    assert response.status_code == 200
    # What cannot be read is left aside: the places are listed from the first page.
    assert listed_names(response) == ["Lyon Guillotière", "Paris 19e", "Relais de Pantin"]


def test_directory_says_in_french_which_choice_was_not_understood(client, places):
    html = unescape(client.get(DIRECTORY, {"commune": "Atlantis"}).content.decode())

    assert "Choisissez une commune dans la liste." in html


def test_directory_rejects_writes(client, places):
    assert client.post(DIRECTORY).status_code == 405


def _grow(count: int, *, commune_index: int | None = None) -> None:
    """`count` reception points and as many relays, their names interleaved so that every page,
    filtered or not, holds both kinds; in two communes unless one is given."""
    start = ReceptionPoint.objects.count()
    for index in range(start, start + count):
        postcode, commune, insee, _lat, _lon = COMMUNES[
            index % 2 if commune_index is None else commune_index
        ]
        where = {"postcode": postcode, "commune": commune, "insee_code": insee}
        point = ReceptionPointFactory(name=f"Lieu {index:03d} a", **where)
        PartnerStructureFactory(
            name=f"Lieu {index:03d} b", is_relay=True, reception_point=point, **where
        )


def test_directory_paginates_by_twelve_and_keeps_the_filters(client, db):
    _grow(15, commune_index=0)  # 30 places in Paris
    ReceptionPointFactory(name="Ailleurs", commune="Lyon")

    first = client.get(DIRECTORY, {"commune": "Paris"})
    second = client.get(DIRECTORY, {"commune": "Paris", "page": 2})
    third = client.get(DIRECTORY, {"commune": "Paris", "page": 3})
    beyond = client.get(DIRECTORY, {"commune": "Paris", "page": 4})

    assert len(first.context["entries"]) == 12
    assert len(third.context["entries"]) == 6
    assert listed_names(first)[0] == "Lieu 000 a"
    assert listed_names(third)[-1] == "Lieu 014 b"
    assert len(set(listed_names(first) + listed_names(second) + listed_names(third))) == 30
    assert listed_names(beyond) == listed_names(first)
    html = unescape(first.content.decode())
    assert "?commune=Paris&page=2" in html
    assert "Lieux 1 à 12" in html
    assert "Lieux 25 à 30" in unescape(third.content.decode())
    assert 'rel="next"' not in third.content.decode()


def test_directory_counts_no_rows_it_does_not_show(client, db):
    _grow(15)
    with CaptureQueriesContext(connection) as context:
        client.get(DIRECTORY)
    assert not [q for q in context.captured_queries if "COUNT(" in q["sql"].upper()]


def test_directory_query_count_does_not_grow_with_the_number_of_places(
    client, db, django_assert_max_num_queries
):
    _grow(3)
    # communes, services, the page of the index, its reception points, its relays
    with django_assert_max_num_queries(5):
        client.get(DIRECTORY)
    small = count_queries(client, DIRECTORY)
    small_filtered = count_queries(client, DIRECTORY, {"commune": "Paris", "service": "access"})
    assert small == small_filtered == 5

    _grow(27)
    response = client.get(DIRECTORY)
    entries = response.context["entries"]
    assert len(entries) == 12
    assert {entry.kind for entry in entries} == {"point", "relais"}

    assert count_queries(client, DIRECTORY) == small
    assert count_queries(client, DIRECTORY, {"commune": "Paris", "service": "access"}) == small
    assert count_queries(client, DIRECTORY, {"page": "2"}) == small
    assert count_queries(client, DIRECTORY, {"lang": "ar"}) == small


# --- The directory in the visitor's language ------------------------------------------------------


def test_directory_speaks_the_language_asked_for_and_remembers_it(client, places):
    response = client.get(DIRECTORY, {"lang": "en"})

    html = unescape(response.content.decode())
    assert '<html lang="en" dir="ltr">' in html
    assert "Find a place near you" in html
    assert "Monday to Friday: 9:30 to 12:30 and 14:00 to 18:00" in html
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert response["Content-Language"] == "en"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}

    again = unescape(client.get(DIRECTORY).content.decode())  # the cookie, no parameter
    assert "Find a place near you" in again


@pytest.mark.parametrize(
    ("lang", "html_lang", "direction"),
    [
        ("fr", "fr", "ltr"),
        ("en", "en", "ltr"),
        ("ar", "ar", "rtl"),
        ("uk", "uk", "ltr"),
        ("prs", "fa-AF", "rtl"),
    ],
)
def test_directory_sets_lang_and_direction(client, places, lang, html_lang, direction):
    html = client.get(DIRECTORY, {"lang": lang}).content.decode()

    assert f'<html lang="{html_lang}" dir="{direction}">' in html


def test_directory_follows_the_browser_when_nothing_was_chosen(client, places):
    html = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="uk-UA,uk;q=0.9").content.decode()
    assert '<html lang="uk" dir="ltr">' in html
    # A Dari reader's phone often says Persian of Afghanistan.
    html = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="fa-AF").content.decode()
    assert '<html lang="fa-AF" dir="rtl">' in html
    html = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="es-ES,de").content.decode()
    assert '<html lang="fr" dir="ltr">' in html


def test_directory_switcher_links_every_language_and_keeps_the_filters(client, places):
    html = client.get(DIRECTORY, {"commune": "Paris", "lang": "ar"}).content.decode()

    switcher = html[html.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    for code, lang, name in [
        ("fr", "fr", "Français"),
        ("en", "en", "English"),
        ("ar", "ar", "العربيّة"),
        ("uk", "uk", "Українська"),
        ("prs", "fa-AF", "دری"),
    ]:
        assert f'href="?commune=Paris&amp;lang={code}" lang="{lang}" hreflang="{lang}"' in switcher
        assert name in switcher
    assert switcher.count('aria-current="true"') == 1
    assert 'lang="ar" hreflang="ar" dir="rtl" aria-current="true"' in switcher


def test_directory_wraps_latin_numbers_and_addresses_for_right_to_left(client, places):
    html = client.get(DIRECTORY, {"lang": "ar"}).content.decode()

    paris = places["paris"]
    # Left to right inside the Arabic page: "45 rue…" or "01 42…" would otherwise be reordered.
    assert f'<a href="tel:{paris.phone.as_e164}" dir="ltr">' in html
    assert f'<span dir="ltr" lang="fr">{paris.address}</span>' in html


def test_directory_links_each_place_to_a_map_site_when_configured(client, places, settings):
    settings.DIRECTORY_MAP_URL = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}"
    html = unescape(client.get(DIRECTORY).content.decode())
    paris = places["paris"]
    assert f"https://www.openstreetmap.org/?mlat={paris.latitude}&mlon={paris.longitude}" in html
    assert "Voir sur une carte" in html

    settings.DIRECTORY_MAP_URL = ""
    html = client.get(DIRECTORY).content.decode()
    assert "openstreetmap" not in html
    assert "Voir sur une carte" not in html


def test_directory_loads_no_external_resource(client, places):
    html = client.get(DIRECTORY).content.decode()

    for tag in re.findall(r"<(?:img|script|link|iframe)\b[^>]*>", html):
        assert "http" not in tag, tag


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
