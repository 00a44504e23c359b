"""factory_boy factories for the network: valid SIRETs, French postcodes, E.164 phones.

ReceptionPointFactory(), PartnerStructureFactory(is_relay=True),
DonorCompanyFactory(), RefurbishingPartnerFactory()
"""

from __future__ import annotations

from decimal import Decimal

import factory
from stdnum import luhn

from solidarnum.network.enums import PlaceService, Typology
from solidarnum.network.models import (
    DonorCompany,
    PartnerStructure,
    ReceptionPoint,
    RefurbishingPartner,
)

# (postcode, commune, INSEE code, latitude, longitude): real communes.
COMMUNES: list[tuple[str, str, str, str, str]] = [
    ("75019", "Paris", "75119", "48.884000", "2.371000"),
    ("69003", "Lyon", "69383", "45.759000", "4.850000"),
    ("13001", "Marseille", "13201", "43.299000", "5.384000"),
    ("59000", "Lille", "59350", "50.629000", "3.057000"),
    ("33000", "Bordeaux", "33063", "44.837000", "-0.579000"),
    ("20000", "Ajaccio", "2A004", "41.919000", "8.738000"),
    ("97400", "Saint-Denis", "97411", "-20.882000", "55.450000"),
]


def make_siret(seed: int) -> str:
    """A valid SIRET: Luhn-valid SIREN (first 9 digits) and Luhn-valid 14 digits.

    Distinct seeds below 10**7 give distinct SIRETs. The SIREN starts with 8 so that it never
    falls in La Poste's 356000000 range.
    """
    siren = f"8{seed % 10**7:07d}"
    siren += luhn.calc_check_digit(siren)
    base = f"{siren}{seed % 10**4:04d}"
    return base + luhn.calc_check_digit(base)


def _commune(index: int) -> int:
    return index % len(COMMUNES)


class _AddressFactory(factory.django.DjangoModelFactory):
    address = factory.Sequence(lambda n: f"{n % 200 + 1} rue de la République")
    address_complement = ""
    postcode = factory.Sequence(lambda n: COMMUNES[_commune(n)][0])
    commune = factory.Sequence(lambda n: COMMUNES[_commune(n)][1])
    insee_code = factory.Sequence(lambda n: COMMUNES[_commune(n)][2])
    latitude = factory.Sequence(lambda n: Decimal(COMMUNES[_commune(n)][3]))
    longitude = factory.Sequence(lambda n: Decimal(COMMUNES[_commune(n)][4]))
    phone = factory.Sequence(lambda n: f"+331420{n % 100000:05d}")
    email = factory.Sequence(lambda n: f"accueil{n}@example.org")

    class Meta:
        abstract = True


class ReceptionPointFactory(_AddressFactory):
    name = factory.Sequence(lambda n: f"Point d'accueil {n}")
    opening_hours = "Mo-Fr 09:30-12:30,14:00-18:00; Sa 09:30-12:30"
    services = factory.LazyFunction(
        lambda: [
            PlaceService.EQUIPMENT.value,
            PlaceService.ACCESS.value,
            PlaceService.DAILY_TOOLS.value,
        ]
    )
    accessibility_notes = "Accès de plain-pied, toilettes adaptées."
    is_active = True

    class Meta:
        model = ReceptionPoint


class PartnerStructureFactory(_AddressFactory):
    """A partner structure; `PartnerStructureFactory(is_relay=True)` for a relais numérique."""

    name = factory.Sequence(lambda n: f"Structure partenaire {n}")
    typology = Typology.CCAS
    siret = factory.Sequence(lambda n: make_siret(10_000 + n))
    reception_point = factory.SubFactory(ReceptionPointFactory)
    is_relay = False
    opening_hours = "Mo-Fr 09:00-17:00"
    is_active = True

    class Meta:
        model = PartnerStructure


class _CompanyFactory(_AddressFactory):
    contact_name = "Camille Martin"
    is_active = True

    class Meta:
        abstract = True


class DonorCompanyFactory(_CompanyFactory):
    name = factory.Sequence(lambda n: f"Entreprise donatrice {n}")
    siret = factory.Sequence(lambda n: make_siret(20_000 + n))

    class Meta:
        model = DonorCompany


class RefurbishingPartnerFactory(_CompanyFactory):
    name = factory.Sequence(lambda n: f"Atelier de reconditionnement {n}")
    siret = factory.Sequence(lambda n: make_siret(30_000 + n))

    class Meta:
        model = RefurbishingPartner
