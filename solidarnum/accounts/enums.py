from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Administrateur national")
    SITE_MANAGER = "site_manager", _("Responsable de point d'accueil")
    STAFF = "staff", _("Conseiller·ère")
    VOLUNTEER = "volunteer", _("Bénévole")
    REFERENT = "referent", _("Référent·e (travailleur social)")
    RELAY_OPERATOR = "relay_operator", _("Opérateur·rice de relais numérique")
    DONOR_CONTACT = "donor_contact", _("Contact entreprise donatrice")
    REFURBISHER_CONTACT = "refurbisher_contact", _("Contact atelier de reconditionnement")


LEAD_REFERENT_LABEL = _("Référent·e principal·e")


def role_label(role: str, *, is_lead: bool = False) -> str:
    """The role as people read it; a lead référent (`is_lead`) is named as such everywhere."""
    if is_lead and role == Role.REFERENT:
        return str(LEAD_REFERENT_LABEL)
    try:
        return str(Role(role).label)
    except ValueError:
        return role


# Which organisation a membership of each role is attached to.
SITE_ROLES = frozenset({Role.SITE_MANAGER, Role.STAFF, Role.VOLUNTEER})
STRUCTURE_ROLES = frozenset({Role.REFERENT, Role.RELAY_OPERATOR})
DONOR_ROLES = frozenset({Role.DONOR_CONTACT})
REFURBISHER_ROLES = frozenset({Role.REFURBISHER_CONTACT})
