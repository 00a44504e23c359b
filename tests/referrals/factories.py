"""Referral test data built on the shared `world` fixture."""

from typing import Any

from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.referrals.models import Referral
from solidarnum.referrals.services import create_referral


def make_referral(world: Any, referent_key: str = "lead_referent", **extra: Any) -> Referral:
    fields: dict[str, Any] = {
        "first_name": "Awa",
        "last_name": "Diallo",
        "birth_year": 1985,
        "phone": "+33612345678",
        "housing": "sheltered",
        "publics": ["newcomer"],
        "languages": ["fr", "ar"],
        "needs_equip": True,
        "needs_equip_detail": "Un ordinateur pour les démarches",
        "reason": "Démarches en ligne impossibles sans matériel.",
        "consent_given_at": timezone.now(),
        "partner_structure": world.structure_a,
        "reception_point": world.site_a,
    }
    fields.update(extra)
    referent = world.users[referent_key]
    return create_referral(acting_user=referent, referral=Referral(**fields))


def scope_for(world: Any, key: str):  # type: ignore[no-untyped-def]
    return resolve_scope(world.users[key], None)
