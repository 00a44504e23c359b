"""Demo accounts: one per role, plus colleagues so that team pages are not empty.

Every account gets the same public password on each run. These accounts exist for the local
demo only; the `seed_demo` command refuses to run outside debug mode unless forced.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from solidarnum.network.demo import DemoNetwork
from solidarnum.network.models import (
    DonorCompany,
    PartnerStructure,
    ReceptionPoint,
    RefurbishingPartner,
)

from .enums import Role, role_label
from .models import Membership, User

DEMO_PASSWORD = "demo-solidarnum"  # noqa: S105 -- public on purpose, printed for the demo
DEMO_EMAIL_DOMAIN = "demo.solidarnum.fr"

Organisation = ReceptionPoint | PartnerStructure | DonorCompany | RefurbishingPartner | None


@dataclass(frozen=True)
class DemoMembership:
    role: Role
    organisation: Organisation = None
    is_lead: bool = False
    can_check_devices: bool = False

    def org_fields(self) -> dict[str, Any]:
        org = self.organisation
        return {
            "reception_point": org if isinstance(org, ReceptionPoint) else None,
            "partner_structure": org if isinstance(org, PartnerStructure) else None,
            "donor": org if isinstance(org, DonorCompany) else None,
            "refurbisher": org if isinstance(org, RefurbishingPartner) else None,
        }


@dataclass(frozen=True)
class DemoUser:
    local_part: str
    first_name: str
    last_name: str
    memberships: tuple[DemoMembership, ...]
    is_superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_EMAIL_DOMAIN}"


def _label(membership: DemoMembership) -> str:
    label = role_label(membership.role, is_lead=membership.is_lead)
    if membership.organisation is None:
        return label
    return _("%(role)s – %(organisation)s") % {
        "role": label,
        "organisation": getattr(membership.organisation, "name", membership.organisation),
    }


def _row_label(user: DemoUser) -> str:
    first, *others = user.memberships
    label = _label(first)
    if others:
        label = _("%(first)s (aussi : %(others)s)") % {
            "first": label,
            "others": ", ".join(_label(m) for m in others),
        }
    return label


def demo_users(network: DemoNetwork) -> list[DemoUser]:
    """The demo accounts, in the order they are printed."""
    paris_19 = network["paris_19"]
    creteil = network["creteil"]
    structure = network["paris_19_structure"]
    M = DemoMembership
    return [
        DemoUser("admin", "Alex", "Martin", (M(Role.NATIONAL_ADMIN),), is_superuser=True),
        DemoUser("responsable.paris19", "Camille", "Durand", (M(Role.SITE_MANAGER, paris_19),)),
        DemoUser(
            "conseiller.paris19",
            "Yanis",
            "Bernard",
            # Two memberships, so that the role switcher shows up.
            (
                M(Role.STAFF, paris_19, can_check_devices=True),
                M(Role.VOLUNTEER, network["paris_14"]),
            ),
        ),
        DemoUser(
            "benevole.paris19",
            "Jeanne",
            "Robert",
            (M(Role.VOLUNTEER, paris_19, can_check_devices=True),),
        ),
        DemoUser("conseillere.creteil", "Léa", "Michel", (M(Role.STAFF, creteil),)),
        DemoUser(
            "referent.paris19",
            "Nadia",
            "Benali",
            (M(Role.REFERENT, structure, is_lead=True),),
        ),
        DemoUser("referent2.paris19", "Paul", "Simon", (M(Role.REFERENT, structure),)),
        DemoUser("relais.melun", "Véronique", "Henry", (M(Role.RELAY_OPERATOR, network["relay"]),)),
        DemoUser("donateur", "Hélène", "Marchand", (M(Role.DONOR_CONTACT, network["donor"]),)),
        DemoUser(
            "atelier", "Karim", "Haddad", (M(Role.REFURBISHER_CONTACT, network["refurbisher"]),)
        ),
        # Colleagues, so that team pages are not empty.
        DemoUser("conseillere2.paris19", "Aïcha", "Koné", (M(Role.STAFF, paris_19),)),
        DemoUser("benevole2.paris19", "Gérard", "Lopez", (M(Role.VOLUNTEER, paris_19),)),
        DemoUser("benevole3.paris19", "Inès", "Petit", (M(Role.VOLUNTEER, paris_19),)),
        DemoUser("responsable.creteil", "Samuel", "Fournier", (M(Role.SITE_MANAGER, creteil),)),
        DemoUser("benevole.creteil", "Rose", "Lambert", (M(Role.VOLUNTEER, creteil),)),
    ]


def _seed_user(spec: DemoUser) -> User:
    user, _created = User.objects.get_or_create(email=spec.email)
    user.first_name = spec.first_name
    user.last_name = spec.last_name
    user.is_active = True
    user.is_staff = spec.is_superuser
    user.is_superuser = spec.is_superuser
    user.set_password(DEMO_PASSWORD)
    user.save()
    for membership in spec.memberships:
        Membership.objects.update_or_create(
            user=user,
            role=membership.role,
            **membership.org_fields(),
            defaults={
                "is_lead": membership.is_lead,
                "can_check_devices": membership.can_check_devices,
                "is_active": True,
                "deactivated_at": None,
            },
        )
    return user


def seed_users(network: DemoNetwork) -> list[tuple[str, str, str]]:
    """Create or reset the demo accounts. Returns (role label, e-mail, password) rows."""
    rows: list[tuple[str, str, str]] = []
    for spec in demo_users(network):
        _seed_user(spec)
        rows.append((_row_label(spec), spec.email, DEMO_PASSWORD))
    return rows
