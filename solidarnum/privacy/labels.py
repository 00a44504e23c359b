from django.utils.translation import gettext_lazy as _

# Readable names for the object types written in the audit trail.
OBJECT_TYPE_LABELS = {
    "accounts.user": _("Utilisateur"),
    "accounts.membership": _("Rattachement"),
    "accounts.invitation": _("Invitation"),
    "network.receptionpoint": _("Point d'accueil"),
    "network.partnerstructure": _("Structure partenaire"),
    "network.donorcompany": _("Entreprise donatrice"),
    "network.refurbishingpartner": _("Reconditionneur"),
}
