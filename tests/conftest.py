"""Shared fixtures: a small network with one user per role on two sites."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.network.enums import PlaceService, Typology
from solidarnum.network.models import (
    DonorCompany,
    PartnerStructure,
    ReceptionPoint,
    RefurbishingPartner,
)
from tests.network.factories import make_siret

PASSWORD = "un-mot-de-passe-de-test"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and other cached values never leak from one test to the next."""
    yield
    cache.clear()


def make_place(name: str, postcode: str = "75019", commune: str = "Paris", **extra: Any):
    defaults = {
        "address": "12 rue de Tanger",
        "postcode": postcode,
        "commune": commune,
        "insee_code": "75119",
        "latitude": "48.884",
        "longitude": "2.371",
        "phone": "+33142000000",
        "email": "contact@example.org",
        "opening_hours": "Mo-Fr 09:30-12:30,14:00-18:00",
        "services": [PlaceService.EQUIPMENT.value, PlaceService.DAILY_TOOLS.value],
    }
    defaults.update(extra)
    return ReceptionPoint.objects.create(name=name, **defaults)


def make_structure(name: str, place: ReceptionPoint, seed: int, **extra: Any):
    defaults = {
        "typology": Typology.CCAS,
        "siret": make_siret(seed),
        "address": "1 place de la Mairie",
        "postcode": place.postcode,
        "commune": place.commune,
        "insee_code": place.insee_code,
        "reception_point": place,
    }
    defaults.update(extra)
    return PartnerStructure.objects.create(name=name, **defaults)


def make_company(model: type, name: str, seed: int):
    return model.objects.create(
        name=name,
        siret=make_siret(seed),
        address="3 avenue de France",
        postcode="75013",
        commune="Paris",
    )


def make_user(email: str, role: Role | None = None, **org: Any) -> User:
    first, _, last = email.partition("@")[0].partition(".")
    user = User.objects.create_user(
        email, PASSWORD, first_name=first.title(), last_name=last.title() or "Test"
    )
    if role is not None:
        Membership.objects.create(user=user, role=role, **org)
    return user


@dataclass
class World:
    site_a: ReceptionPoint
    site_b: ReceptionPoint
    structure_a: PartnerStructure
    relay_a: PartnerStructure
    structure_b: PartnerStructure
    donor: DonorCompany
    other_donor: DonorCompany
    refurbisher: RefurbishingPartner
    users: dict[str, User | None]


ROLES = [
    "anonymous",
    "admin",
    "manager_a",
    "staff_a",
    "volunteer_a",
    "staff_b",
    "lead_referent",
    "referent",
    "relay_operator",
    "donor_contact",
    "refurbisher_contact",
]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world built once for a whole test module, for modules of many small tests (the
    access matrix). Its rows live in a transaction rolled back when the module ends; each test,
    through pytest-django's `db`, runs in a savepoint of it, rolled back after the test, so what
    a test writes never reaches the next one. Objects of the world are shared: a test must not
    change them in memory."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_sessions(module_world: World, django_db_blocker: Any) -> dict[str, str]:
    """A logged-in session per role of `module_world`, opened once (in its transaction)."""
    with django_db_blocker.unblock():
        return {
            name: client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
            for name, user in module_world.users.items()
            if user is not None
        }


@pytest.fixture
def module_clients(db: None, module_sessions: dict[str, str]) -> dict[str, Client]:
    """Fresh clients for each test (no cookie of the previous test), on the module's sessions."""
    clients = {}
    for name in ROLES:
        client = Client()
        if name in module_sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = module_sessions[name]
        clients[name] = client
    return clients


def build_world() -> World:
    site_a = make_place("Paris 19e")
    site_b = make_place("Créteil", postcode="94000", commune="Créteil", insee_code="94028")
    structure_a = make_structure("CCAS de Paris 19e", site_a, 1)
    relay_a = make_structure(
        "Relais de Pantin",
        site_a,
        2,
        typology=Typology.ASSO,
        is_relay=True,
        postcode="93500",
        commune="Pantin",
        insee_code="93055",
    )
    structure_b = make_structure("EDS de Créteil", site_b, 3, typology=Typology.DEPT)
    donor = make_company(DonorCompany, "Banque Exemple", 10)
    other_donor = make_company(DonorCompany, "Assurance Exemple", 11)
    refurbisher = make_company(RefurbishingPartner, "Atelier Exemple", 12)
    users: dict[str, User | None] = {
        "anonymous": None,
        "admin": make_user("nadia.admin@example.org", Role.NATIONAL_ADMIN),
        "manager_a": make_user(
            "marc.manager@example.org", Role.SITE_MANAGER, reception_point=site_a
        ),
        "staff_a": make_user("sarah.staff@example.org", Role.STAFF, reception_point=site_a),
        "volunteer_a": make_user(
            "victor.volunteer@example.org", Role.VOLUNTEER, reception_point=site_a
        ),
        "staff_b": make_user("bruno.staff@example.org", Role.STAFF, reception_point=site_b),
        "lead_referent": make_user(
            "lea.lead@example.org", Role.REFERENT, partner_structure=structure_a
        ),
        "referent": make_user(
            "remi.referent@example.org", Role.REFERENT, partner_structure=structure_a
        ),
        "relay_operator": make_user(
            "olga.relay@example.org", Role.RELAY_OPERATOR, partner_structure=relay_a
        ),
        "donor_contact": make_user("denis.donor@example.org", Role.DONOR_CONTACT, donor=donor),
        "refurbisher_contact": make_user(
            "rita.refurb@example.org", Role.REFURBISHER_CONTACT, refurbisher=refurbisher
        ),
    }
    Membership.objects.filter(user=users["lead_referent"]).update(is_lead=True)
    # The volunteer of site A checks devices; the staff member of site A does not.
    Membership.objects.filter(user=users["volunteer_a"]).update(can_check_devices=True)
    return World(
        site_a, site_b, structure_a, relay_a, structure_b, donor, other_donor, refurbisher, users
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def clients(world: World) -> dict[str, Client]:
    return {name: client_for(user) for name, user in world.users.items()}


@pytest.fixture
def sms_outbox():
    """The in-memory SMS backend's outbox (config/settings_test.py), empty for this test."""
    from solidarnum.notifications.backends import MemorySmsBackend

    MemorySmsBackend.reset()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.reset()
