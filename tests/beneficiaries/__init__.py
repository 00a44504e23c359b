"""Tests of the people's files. `make_beneficiary` builds a file the real way: a referral
written by a référent, then validated by the reception point."""

from typing import Any

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.referrals.services import validate_referral
from tests.referrals.factories import make_referral


def make_beneficiary(world: Any, *, validator: str = "manager_a", **extra: Any) -> Beneficiary:
    referral = validate_referral(
        acting_user=world.users[validator], referral=make_referral(world, **extra)
    )
    assert referral.beneficiary is not None
    return referral.beneficiary


def make_beneficiary_b(world: Any, **extra: Any) -> Beneficiary:
    """A file of the other site (Créteil)."""
    return make_beneficiary(
        world,
        validator="staff_b",
        partner_structure=world.structure_b,
        reception_point=world.site_b,
        **extra,
    )
