"""The open-data export follows the national schema "lieux de médiation numérique" v1.0.2."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from solidarnum.network import opendata
from solidarnum.network.enums import PlaceService, Typology

from .factories import PartnerStructureFactory, ReceptionPointFactory, make_siret

SHARED_SCHEMA = (
    Path(django_settings.BASE_DIR).parent
    / "shared"
    / "standards"
    / "lieux-mediation-numerique"
    / "schema.json"
)


def rows_by_id() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in opendata.place_rows()}


def validate_file(path: Path) -> frictionless.Report:
    schema = frictionless.Schema.from_descriptor(str(opendata.SCHEMA_PATH))
    # frictionless 5 refuses absolute paths unless trusted.
    with frictionless.system.use_context(trusted=True):
        return frictionless.validate(str(path), schema=schema)


def assert_valid(report: frictionless.Report) -> None:
    errors = report.flatten(["rowNumber", "fieldName", "type", "note"])
    if not report.valid:
        print(json.dumps(errors, ensure_ascii=False, indent=2))  # noqa: T201
    assert report.valid, errors


@pytest.fixture
def network(db):
    """A small network: active and inactive places, with and without optional data."""
    full = ReceptionPointFactory(
        name="Paris 19e",
        address_complement="Bâtiment B, 1er étage",
        latitude=Decimal("48.884"),
        longitude=Decimal("2.371"),
    )
    bare = ReceptionPointFactory(
        name="Créteil",
        phone="",
        email="",
        latitude=None,
        longitude=None,
        insee_code="",
        opening_hours="",
        services=[],
        accessibility_notes="",
    )
    closed = ReceptionPointFactory(name="Ancien point fermé", is_active=False)
    relay = PartnerStructureFactory(
        name="Relais de Pantin", is_relay=True, typology=Typology.ASSO, reception_point=full
    )
    relay_no_siret = PartnerStructureFactory(
        name="Médiathèque relais",
        is_relay=True,
        typology=Typology.BIB,
        siret="",
        phone="",
        reception_point=bare,
    )
    closed_relay = PartnerStructureFactory(
        name="Relais fermé", is_relay=True, is_active=False, reception_point=full
    )
    partner = PartnerStructureFactory(name="CCAS orienteur", is_relay=False, reception_point=full)
    return {
        "full": full,
        "bare": bare,
        "closed": closed,
        "relay": relay,
        "relay_no_siret": relay_no_siret,
        "closed_relay": closed_relay,
        "partner": partner,
    }


# --- The vendored schema --------------------------------------------------------------------------


def test_columns_are_the_schema_fields_in_order():
    descriptor = json.loads(opendata.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert tuple(field["name"] for field in descriptor["fields"]) == opendata.COLUMNS
    assert opendata.COLUMNS[:3] == ("id", "pivot", "nom")
    assert len(opendata.COLUMNS) == 32
    assert descriptor["version"] == "v1.0.2"


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="no shared standards folder here")
def test_vendored_schema_equals_the_shared_copy():
    assert json.loads(opendata.SCHEMA_PATH.read_text(encoding="utf-8")) == json.loads(
        SHARED_SCHEMA.read_text(encoding="utf-8")
    )


# --- Validation with frictionless -----------------------------------------------------------------


def test_csv_validates_against_the_vendored_schema(network, tmp_path):
    path = tmp_path / "lieux.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        opendata.write_csv(stream)

    assert_valid(validate_file(path))
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 4  # two reception points, two relays


def test_empty_network_still_gives_a_valid_csv_with_its_header(db, tmp_path):
    path = tmp_path / "lieux.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        opendata.write_csv(stream)

    assert path.read_text(encoding="utf-8").strip() == ",".join(opendata.COLUMNS)
    assert_valid(validate_file(path))


def test_the_validation_does_catch_a_value_outside_the_schema(network, tmp_path):
    """Control: the same pipeline reports a broken pattern, so a green test means something."""
    rows = list(opendata.place_rows())
    rows[0] = {**rows[0], "telephone": "01 42 00 00 00", "services": "Réparation"}
    path = tmp_path / "casse.csv"
    path.write_text("".join(opendata.csv_lines(rows)), encoding="utf-8")

    report = validate_file(path)

    assert not report.valid
    broken = {error[1] for error in report.flatten(["rowNumber", "fieldName"])}
    assert broken == {"telephone", "services"}


def test_write_csv_writes_utf8_header_then_rows_in_schema_order(network):
    stream = io.StringIO(newline="")
    opendata.write_csv(stream)
    lines = stream.getvalue().splitlines()

    assert lines[0] == ",".join(opendata.COLUMNS)
    reader = csv.reader(io.StringIO(stream.getvalue()))
    widths = {len(line) for line in reader}
    assert widths == {len(opendata.COLUMNS)}
    assert "Créteil" in stream.getvalue()


# --- What is exported -----------------------------------------------------------------------------


def test_inactive_places_and_plain_partners_are_absent(network):
    ids = set(rows_by_id())

    assert ids == {
        f"point-accueil-{network['full'].pk}",
        f"point-accueil-{network['bare'].pk}",
        f"relais-{network['relay'].pk}",
        f"relais-{network['relay_no_siret'].pk}",
    }


def test_rows_come_reception_points_first_then_relays_each_by_name(network):
    names = [row["nom"] for row in opendata.place_rows()]

    assert names == ["Créteil", "Paris 19e", "Médiathèque relais", "Relais de Pantin"]


def test_reception_point_row(network, settings):
    settings.ORGANISATION_SIRET = "79388932600021"
    place = network["full"]
    row = rows_by_id()[f"point-accueil-{place.pk}"]

    assert row["pivot"] == "79388932600021"
    assert row["nom"] == "Paris 19e"
    assert row["commune"] == place.commune
    assert row["code_postal"] == place.postcode
    assert row["code_insee"] == place.insee_code
    assert row["adresse"] == place.address
    assert row["complement_adresse"] == "Bâtiment B, 1er étage"
    assert row["latitude"] == "48.884"  # no trailing zeros
    assert Decimal(row["latitude"]) == place.latitude
    assert Decimal(row["longitude"]) == place.longitude
    assert row["typologie"] == "ASSO"
    assert row["telephone"] == place.phone.as_e164
    assert row["telephone"].startswith("+33")
    assert row["courriels"] == place.email
    assert row["horaires"] == "Mo-Fr 09:30-12:30,14:00-18:00; Sa 09:30-12:30"
    assert row["services"] == (
        "Acquisition de matériel informatique à prix solidaire"
        "|Accès internet et matériel informatique"
        "|Maîtrise des outils numériques du quotidien"
    )
    assert row["presentation_resume"] == (
        "Point d'accueil Emmaüs Connect : matériel reconditionné, connexion et "
        "accompagnement au numérique à prix solidaire."
    )
    assert row["source"] == django_settings.OPENDATA_SOURCE
    assert row["structure_parente"] == ""
    assert row["date_maj"] == timezone.localdate(place.updated_at).isoformat()
    assert row["frais_a_charge"] == "Payant"
    assert row["modalites_acces"] == "Se présenter|Téléphoner"
    assert row["modalites_accompagnement"] == "Accompagnement individuel|Dans un atelier collectif"
    for empty in ("site_web", "presentation_detail", "itinerance", "prise_rdv"):
        assert row[empty] == ""


def test_reception_point_without_optional_data(network):
    row = rows_by_id()[f"point-accueil-{network['bare'].pk}"]

    assert row["latitude"] == row["longitude"] == ""
    assert row["telephone"] == row["courriels"] == row["code_insee"] == row["horaires"] == ""
    assert row["modalites_acces"] == "Se présenter"
    # No services recorded: what every reception point offers by definition.
    assert row["services"] == (
        "Accès internet et matériel informatique"
        "|Acquisition de matériel informatique à prix solidaire"
    )
    assert row["presentation_resume"] == (
        "Point d'accueil Emmaüs Connect : matériel reconditionné et connexion à prix solidaire."
    )


def test_services_outside_the_schema_vocabulary_are_dropped(db):
    place = ReceptionPointFactory(
        services=["Réparation", PlaceService.ADMIN.value, PlaceService.ADMIN.value]
    )

    row = rows_by_id()[f"point-accueil-{place.pk}"]

    assert row["services"] == "Aide aux démarches administratives"
    assert row["presentation_resume"].endswith(": accompagnement au numérique à prix solidaire.")


def test_relay_rows(network, settings):
    settings.ORGANISATION_SIRET = "79388932600021"
    rows = rows_by_id()
    relay = rows[f"relais-{network['relay'].pk}"]
    without_siret = rows[f"relais-{network['relay_no_siret'].pk}"]

    assert relay["pivot"] == network["relay"].siret
    assert without_siret["pivot"] == "79388932600021"
    assert relay["typologie"] == "ASSO"
    assert without_siret["typologie"] == "BIB"
    assert relay["structure_parente"] == "Emmaüs Connect"
    assert relay["services"] == "Accès internet et matériel informatique"
    assert relay["frais_a_charge"] == "Payant"
    assert relay["modalites_acces"] == "Se présenter|Téléphoner"
    assert without_siret["modalites_acces"] == "Se présenter"
    assert relay["modalites_accompagnement"] == ""
    assert relay["horaires"] == "Mo-Fr 09:00-17:00"
    assert relay["presentation_resume"] == (
        "Relais numérique (Emmaüs Connect) : recharges téléphone et internet à prix solidaire."
    )


def test_the_contact_person_of_a_relay_is_never_published(db):
    relay = PartnerStructureFactory(
        is_relay=True,
        phone="",
        email="",
        contact_name="Camille Martin",
        contact_phone="+33612345678",
        contact_email="camille.martin@example.org",
    )

    row = rows_by_id()[f"relais-{relay.pk}"]

    assert row["telephone"] == row["courriels"] == ""
    assert "Camille" not in "".join(row.values())


def test_a_phone_outside_the_schema_prefixes_is_left_empty(db, caplog):
    place = ReceptionPointFactory(phone="+3222001234")  # Brussels

    row = rows_by_id()[f"point-accueil-{place.pk}"]

    assert row["telephone"] == ""
    assert row["modalites_acces"] == "Se présenter|Téléphoner"
    assert "telephone" in caplog.text
    assert "22001234" not in caplog.text  # the value itself is never logged


def test_overseas_phones_keep_their_prefix(db):
    place = ReceptionPointFactory(phone="+262262123456")  # La Réunion

    assert rows_by_id()[f"point-accueil-{place.pk}"]["telephone"] == "+262262123456"


# --- Labels come from the settings ----------------------------------------------------------------


def test_programme_labels_follow_the_settings(network, settings):
    rows = rows_by_id()
    point = rows[f"point-accueil-{network['full'].pk}"]
    relay = rows[f"relais-{network['relay'].pk}"]
    assert point["dispositif_programmes_nationaux"] == settings.OPENDATA_PROGRAMME_RECEPTION_POINT
    assert point["dispositif_programmes_nationaux"] == "Emmaüs Connect"
    assert relay["dispositif_programmes_nationaux"] == settings.OPENDATA_PROGRAMME_RELAY
    assert relay["dispositif_programmes_nationaux"] == "Relais numérique (Emmaüs Connect)"

    settings.OPENDATA_PROGRAMME_RECEPTION_POINT = "France Services|Conseillers numériques"
    settings.OPENDATA_PROGRAMME_RELAY = "Point d'accès numérique CAF"
    settings.ORGANISATION_NAME = "Réseau Exemple"
    settings.OPENDATA_SOURCE = "Réseau Exemple"
    rows = rows_by_id()
    point = rows[f"point-accueil-{network['full'].pk}"]
    relay = rows[f"relais-{network['relay'].pk}"]

    assert point["dispositif_programmes_nationaux"] == "France Services|Conseillers numériques"
    assert relay["dispositif_programmes_nationaux"] == "Point d'accès numérique CAF"
    assert relay["structure_parente"] == "Réseau Exemple"
    assert point["presentation_resume"].startswith("Point d'accueil Réseau Exemple : ")
    assert point["source"] == relay["source"] == "Réseau Exemple"


def test_a_programme_label_outside_the_schema_is_left_empty(network, settings):
    settings.OPENDATA_PROGRAMME_RELAY = "Programme inconnu"

    relay = rows_by_id()[f"relais-{network['relay'].pk}"]

    assert relay["dispositif_programmes_nationaux"] == ""


def test_the_short_presentation_never_exceeds_280_characters(network, settings, tmp_path):
    settings.ORGANISATION_NAME = "Association " + "très " * 80 + "longue"

    rows = list(opendata.place_rows())

    assert rows
    assert all(len(row["presentation_resume"]) <= 280 for row in rows)
    path = tmp_path / "lieux.csv"
    path.write_text("".join(opendata.csv_lines(rows)), encoding="utf-8")
    assert_valid(validate_file(path))


def test_suggested_filename(settings, time_machine):
    time_machine.move_to("2025-03-14 10:00:00+01:00")
    settings.ORGANISATION_SIRET = "79388932600021"

    assert opendata.suggested_filename() == (
        "2025-03-14_79388932600021_lieux-de-mediation-numerique_france.csv"
    )


def test_factories_give_valid_sirets():
    from stdnum.fr import siret

    assert all(siret.is_valid(make_siret(seed)) for seed in range(0, 50_000, 997))


# --- Formula injection: free text neutralised, typed columns kept ---------------------------------

FORMULA = '=HYPERLINK("http://x","clic")'


def test_a_formula_in_free_text_is_neutralised_and_the_file_stays_valid(db, tmp_path):
    place = ReceptionPointFactory(
        name="Guadeloupe",
        phone="+590590123456",
        latitude=Decimal("16.241"),
        longitude=Decimal("-61.533"),  # west of Greenwich: a legitimate leading minus
    )
    # A value saved before input was checked (or by a path that skipped it).
    type(place).objects.filter(pk=place.pk).update(
        address_complement=FORMULA, address="@SUM(1+1)", commune="+Pointe-à-Pitre"
    )
    path = tmp_path / "lieux.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        opendata.write_csv(stream)

    assert_valid(validate_file(path))
    with path.open(encoding="utf-8", newline="") as stream:
        [row] = list(csv.DictReader(stream))
    assert row["complement_adresse"] == "'" + FORMULA
    assert row["adresse"] == "'@SUM(1+1)"
    assert row["commune"] == "'+Pointe-à-Pitre"
    # Typed columns keep their value: E.164 phone, negative coordinate, codes, dates.
    assert row["telephone"] == "+590590123456"
    assert row["longitude"] == "-61.533"
    assert row["date_maj"] == timezone.localdate().isoformat()
    signed = {column for column, value in row.items() if value[:1] in ("=", "+", "-", "@")}
    assert signed == {"telephone", "longitude"}
