"""The refusal reasons every reception point starts with. Codes are never deleted, only hidden.

The data migration writes them; the demo writes them again, because a flushed database (a
transactional test) loses what migrations wrote."""

from typing import Any

DEFAULT_REFUSAL_REASONS = [
    ("hors-territoire", "La personne habite hors du territoire du point d'accueil"),
    ("deja-accompagnee", "La personne est déjà accompagnée par l'association"),
    ("besoin-hors-offre", "Le besoin ne correspond pas à notre offre"),
    ("injoignable", "La personne n'a pas pu être jointe"),
    ("pas-de-place", "Plus de place disponible pour le moment"),
    ("autonome", "La personne est déjà autonome"),
    ("autre", "Autre motif (précisé en commentaire)"),
]


def ensure_default_refusal_reasons(model: Any = None) -> None:
    """Create the missing default reasons; an existing one keeps its label and position.

    `model`: the historical model inside a migration, the current one otherwise."""
    if model is None:
        from solidarnum.referrals.models import RefusalReason as model
    for position, (code, label) in enumerate(DEFAULT_REFUSAL_REASONS):
        model.objects.get_or_create(code=code, defaults={"label": label, "position": position})
