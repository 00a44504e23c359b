import pytest
from django.urls import reverse

from solidarnum.network.models import DonorCompany, PartnerStructure, ReceptionPoint
from solidarnum.privacy.models import AuditAction, AuditEvent
from tests.conftest import make_place

from .factories import make_siret

VALID_PLACE = {
    "name": "Paris 14e",
    "address": "5 rue Didot",
    "postcode": "75014",
    "commune": "Paris",
    "insee_code": "75114",
    "latitude": "48.8331",
    "longitude": "2.3188",
    "phone": "01 45 00 00 00",
    "email": "paris14@example.org",
    "opening_hours": "Mo-Fr 09:30-12:30,14:00-18:00",
    "services": ["Acquisition de matériel informatique à prix solidaire"],
    "accessibility_notes": "Rez-de-chaussée, rampe d'accès.",
    "is_active": "on",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "7501", "Le code postal doit comporter exactement 5 chiffres"),
        ("insee_code", "ABCDE", "Le code INSEE doit comporter 5 caractères"),
        ("opening_hours", "lundi 9h-12h", "Ces horaires ne sont pas au format OpenStreetMap"),
        ("phone", "12", "Saisissez un numéro de téléphone valide"),
        ("latitude", "123", "La latitude doit être comprise entre -90 et 90"),
        # Text a spreadsheet would run as a formula once in the open-data file.
        ("address_complement", '=HYPERLINK("http://x","clic")', "un tableur"),
        ("address", "+33 rue", "un tableur"),
        ("commune", "-Paris", "un tableur"),
        ("name", "@Paris", "un tableur"),
        ("email", "=x@example.org", "un tableur"),
    ],
)
def test_bad_place_input_gets_a_french_message_and_saves_nothing(
    clients, world, field, value, message
):
    response = clients["admin"].post(
        reverse("network:reception_point_create"), {**VALID_PLACE, field: value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReceptionPoint.objects.filter(name="Paris 14e").exists()
    assert not AuditEvent.objects.filter(object_type="network.receptionpoint").exists()


def test_admin_creates_a_place_and_it_is_audited(clients, world):
    response = clients["admin"].post(reverse("network:reception_point_create"), VALID_PLACE)
    place = ReceptionPoint.objects.get(name="Paris 14e")
    assert response.status_code == 302
    assert place.phone.as_e164 == "+33145000000"
    event = AuditEvent.objects.get(object_type="network.receptionpoint", object_id=str(place.pk))
    assert event.action == AuditAction.CREATE
    assert event.actor == world.users["admin"]
    assert "opening_hours" in event.changed_fields


def test_site_manager_edits_own_site_but_not_its_name(clients, world):
    url = reverse("network:reception_point_update", args=[world.site_a.pk])
    response = clients["manager_a"].post(
        url, {**VALID_PLACE, "name": "Renommé", "opening_hours": "Mo-Sa 10:00-17:00"}
    )
    assert response.status_code == 302
    world.site_a.refresh_from_db()
    assert world.site_a.name == "Paris 19e"
    assert world.site_a.opening_hours == "Mo-Sa 10:00-17:00"
    event = AuditEvent.objects.get(object_type="network.receptionpoint", action="update")
    assert "name" not in event.changed_fields
    assert "opening_hours" in event.changed_fields


def test_siret_is_checked_and_normalised(clients, world):
    data = {
        "name": "Entreprise",
        "siret": "123 456 789 00010",
        "address": "1 rue",
        "postcode": "75001",
        "commune": "Paris",
    }
    response = clients["admin"].post(reverse("network:donor_create"), data)
    assert response.status_code == 400
    assert "numéro SIRET n&#x27;est pas valide" in response.content.decode()
    siret = make_siret(4242)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    response = clients["admin"].post(reverse("network:donor_create"), {**data, "siret": spaced})
    assert response.status_code == 302
    assert DonorCompany.objects.get(name="Entreprise").siret == siret


def test_partner_structure_form_requires_a_known_typology(clients, world):
    data = {
        "name": "CCAS de Lille",
        "typology": "INCONNU",
        "address": "1 rue",
        "postcode": "59000",
        "commune": "Lille",
        "reception_point": world.site_a.pk,
    }
    response = clients["admin"].post(reverse("network:partner_create"), data)
    assert response.status_code == 400
    assert not PartnerStructure.objects.filter(name="CCAS de Lille").exists()
    response = clients["admin"].post(
        reverse("network:partner_create"), {**data, "typology": "CCAS", "is_relay": "on"}
    )
    assert response.status_code == 302
    assert PartnerStructure.objects.get(name="CCAS de Lille").is_relay


@pytest.mark.parametrize(
    "url_name",
    [
        "network:reception_point_list",
        "network:partner_list",
        "network:donor_list",
        "network:refurbisher_list",
    ],
)
def test_list_pages_keep_a_constant_query_count(
    clients, world, url_name, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert clients["admin"].get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    before = count_queries()
    for i in range(15):
        place = make_place(f"Site {i}")
        PartnerStructure.objects.create(
            name=f"Structure {i}",
            typology="CCAS",
            address="1 rue",
            postcode="75019",
            commune="Paris",
            reception_point=place,
            siret=make_siret(500 + i),
        )
        DonorCompany.objects.create(
            name=f"Donateur {i}",
            siret=make_siret(700 + i),
            address="1 rue",
            postcode="75019",
            commune="Paris",
        )
    assert count_queries() == before


def test_a_formula_in_the_address_complement_is_refused_and_nothing_saved(clients, world):
    """The reproduction: a site manager's address complement ends up in the open-data file."""
    url = reverse("network:reception_point_update", args=[world.site_a.pk])
    before = world.site_a.address_complement
    response = clients["manager_a"].post(
        url, {**VALID_PLACE, "address_complement": '=HYPERLINK("http://x","clic")'}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["address_complement"]
    assert errors == [
        "Ce texte ne peut pas commencer par « = », « + », « - » ou « @ » : un tableur le "
        "prendrait pour une formule. Retirez ce premier caractère."
    ]
    world.site_a.refresh_from_db()
    assert world.site_a.address_complement == before
    assert not AuditEvent.objects.filter(object_type="network.receptionpoint").exists()


def test_a_relay_name_starting_like_a_formula_is_refused(clients, world):
    data = {
        "name": "@Relais",
        "typology": "CCAS",
        "address": "1 rue",
        "postcode": "59000",
        "commune": "Lille",
        "reception_point": world.site_a.pk,
        "is_relay": "on",
    }
    response = clients["admin"].post(reverse("network:partner_create"), data)
    assert response.status_code == 400
    assert "un tableur le prendrait pour une formule" in response.content.decode().replace(
        "&#x27;", "'"
    )
    assert not PartnerStructure.objects.filter(name="@Relais").exists()
