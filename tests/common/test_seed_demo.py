"""The demo data command: idempotent, well-formed data, one working account per role."""

import logging
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import models
from django.test import RequestFactory
from pytest_django.fixtures import Settings
from stdnum.fr import siret

from solidarnum.accounts.demo import DEMO_PASSWORD
from solidarnum.accounts.enums import (
    DONOR_ROLES,
    REFURBISHER_ROLES,
    SITE_ROLES,
    STRUCTURE_ROLES,
    Role,
)
from solidarnum.accounts.models import Membership, User
from solidarnum.common.validators import validate_opening_hours
from solidarnum.network.demo import fictitious_siret
from solidarnum.network.enums import PlaceService
from solidarnum.network.models import (
    DonorCompany,
    PartnerStructure,
    ReceptionPoint,
    RefurbishingPartner,
)

pytestmark = pytest.mark.django_db

SEEDED_MODELS: list[type[models.Model]] = [
    ReceptionPoint,
    PartnerStructure,
    DonorCompany,
    RefurbishingPartner,
    User,
    Membership,
]
EXPECTED_PLACES = {
    "Paris 19e",
    "Paris 14e",
    "Paris 12e (Reuilly)",
    "Saint-Denis",
    "Antony",
    "Créteil",
    "Marseille",
    "Lyon",
    "Lille",
    "Grenoble",
    "Bordeaux",
    "Strasbourg",
}
ADMIN_EMAIL = "admin@demo.solidarnum.fr"


def seed(**options: object) -> str:
    out = StringIO()
    options.setdefault("referrals", 12)  # the referral demo has its own tests
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def debug_on(settings: Settings) -> None:
    settings.DEBUG = True


@pytest.fixture
def seeded(debug_on: None) -> str:
    return seed()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def test_seeding_twice_changes_nothing(debug_on: None) -> None:
    seed()
    first = counts()
    place_ids = set(ReceptionPoint.objects.values_list("pk", flat=True))
    seed()
    assert counts() == first
    assert set(ReceptionPoint.objects.values_list("pk", flat=True)) == place_ids


def test_output_lists_the_demo_logins(seeded: str) -> None:
    assert f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})" in seeded
    assert ADMIN_EMAIL in seeded
    assert "Administrateur national" in seeded


def test_refuses_to_run_outside_debug_mode_unless_forced(settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        seed()
    assert not User.objects.exists()
    seed(force=True)
    assert User.objects.filter(email=ADMIN_EMAIL).exists()


def test_reception_points(seeded: str) -> None:
    active = ReceptionPoint.objects.active()
    assert set(active.values_list("name", flat=True)) >= EXPECTED_PLACES
    assert active.count() >= 12
    assert ReceptionPoint.objects.filter(is_active=False).exists()
    for place in ReceptionPoint.objects.all():
        assert place.latitude is not None
        assert place.longitude is not None
        assert place.opening_hours
        assert place.services
        assert set(place.services) <= set(PlaceService.values)
        assert place.email.endswith(".example.org")
        assert place.accessibility_notes


def test_insee_codes_match_postcodes(seeded: str) -> None:
    for structure in [*ReceptionPoint.objects.all(), *PartnerStructure.objects.all()]:
        if structure.commune == "Paris":
            assert structure.insee_code == "751" + structure.postcode[-2:]
        elif structure.commune == "Marseille":
            assert structure.insee_code == "132" + structure.postcode[-2:]
        elif structure.commune == "Lyon":
            assert structure.insee_code == "6938" + structure.postcode[-1]
        else:
            assert structure.insee_code[:2] == structure.postcode[:2]


def test_partner_structures_and_relays(seeded: str) -> None:
    structures = PartnerStructure.objects.all()
    assert 28 <= structures.count() <= 35
    assert structures.values("typology").distinct().count() >= 10
    relays = PartnerStructure.objects.relays()
    assert relays.count() >= 10
    for relay in relays:
        assert relay.latitude is not None
        assert relay.longitude is not None
        assert relay.opening_hours
    assert not relays.filter(commune__in=EXPECTED_PLACES | {"Paris"}).exists()
    for structure in structures.exclude(is_relay=True).select_related("reception_point"):
        assert structure.reception_point.commune == structure.commune


def test_companies(seeded: str) -> None:
    assert DonorCompany.objects.count() == 4
    assert RefurbishingPartner.objects.count() == 3


def test_every_siret_is_valid(seeded: str) -> None:
    sirets = [
        *PartnerStructure.objects.values_list("siret", flat=True),
        *DonorCompany.objects.values_list("siret", flat=True),
        *RefurbishingPartner.objects.values_list("siret", flat=True),
    ]
    assert len(sirets) == len(set(sirets))
    for value in sirets:
        assert siret.is_valid(value), value


def test_fictitious_siret_is_valid_and_stable() -> None:
    assert fictitious_siret(7) == fictitious_siret(7)
    assert all(siret.is_valid(fictitious_siret(n)) for n in range(1, 500))


def test_every_opening_hours_is_valid(seeded: str) -> None:
    values = [
        *ReceptionPoint.objects.values_list("opening_hours", flat=True),
        *PartnerStructure.objects.exclude(opening_hours="").values_list("opening_hours", flat=True),
    ]
    assert len(values) > 12
    for value in values:
        validate_opening_hours(value)


def test_every_seeded_object_passes_model_validation(seeded: str) -> None:
    for model in [ReceptionPoint, PartnerStructure, DonorCompany, RefurbishingPartner]:
        for obj in model.objects.all():
            obj.full_clean()


def test_every_membership_satisfies_its_role_rule(seeded: str) -> None:
    memberships = Membership.objects.all()
    assert memberships.exists()
    for m in memberships:
        orgs = {
            "reception_point": m.reception_point_id,
            "partner_structure": m.partner_structure_id,
            "donor": m.donor_id,
            "refurbisher": m.refurbisher_id,
        }
        if m.role in SITE_ROLES:
            required = "reception_point"
        elif m.role in STRUCTURE_ROLES:
            required = "partner_structure"
        elif m.role in DONOR_ROLES:
            required = "donor"
        elif m.role in REFURBISHER_ROLES:
            required = "refurbisher"
        else:
            assert m.role == Role.NATIONAL_ADMIN
            required = None
        for field, value in orgs.items():
            assert (value is not None) == (field == required), (m.user.email, m.role, field)
        assert not m.is_lead or m.role == Role.REFERENT
        if m.role == Role.RELAY_OPERATOR:
            assert m.partner_structure.is_relay


def test_every_role_has_a_demo_account(seeded: str) -> None:
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Membership.objects.filter(role=Role.REFERENT, is_lead=True).count() == 1
    assert Membership.objects.filter(role=Role.REFERENT, is_lead=False).exists()
    # Two sites with staff, to check isolation.
    staff_sites = Membership.objects.filter(role=Role.STAFF).values("reception_point")
    assert staff_sites.distinct().count() >= 2
    # Someone holds two memberships, so the role switcher shows.
    multi = [u for u in User.objects.all() if u.memberships.count() > 1]
    assert multi
    assert all(u.email.endswith("@demo.solidarnum.fr") for u in User.objects.all())


def test_demo_admin_can_log_in_with_the_demo_password(seeded: str) -> None:
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, email=ADMIN_EMAIL, password=DEMO_PASSWORD)
    assert user is not None
    assert user.email == ADMIN_EMAIL
    assert user.memberships.get().role == Role.NATIONAL_ADMIN


def test_reseeding_resets_a_changed_password(seeded: str) -> None:
    user = User.objects.get(email=ADMIN_EMAIL)
    user.set_password("un-autre-mot-de-passe")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_the_summary_counts_the_stock_left_and_nothing_else_is_printed(
    caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any, debug_on: None
) -> None:
    """The till and the packs take devices and codes after equipment and connectivity have been
    seeded: the printed figures are those the stock pages show. The demo's messages, sent by
    inline tasks, do not bury the logins under a line per message and per task."""
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):  # the messages' tasks run on commit
        seeded = seed()
    chatter = [
        r for r in caplog.records if r.levelno < logging.WARNING or r.name.startswith("kombu")
    ]
    assert not chatter, [f"{r.name}: {r.getMessage()}" for r in chatter[:3]]
    from solidarnum.connectivity import demo as connectivity_demo
    from solidarnum.connectivity.enums import CodeStatus
    from solidarnum.equipment import demo as equipment_demo
    from solidarnum.equipment.enums import Status

    available = equipment_demo.summary()[Status.AVAILABLE]
    in_stock = connectivity_demo.summary()[CodeStatus.IN_STOCK]
    assert f"({available} disponibles)" in seeded
    assert f"({in_stock} en stock)" in seeded
