from django.db import models
from django.utils.translation import gettext_lazy as _


class Housing(models.TextChoices):
    STREET = "street", _("À la rue")
    SHELTERED = "sheltered", _("Hébergé·e")
    PRECARIOUS = "precarious", _("Logé·e (précaire)")
    HOUSED = "housed", _("Logé·e")


class Public(models.TextChoices):
    YOUTH_INSERTION = "youth_insertion", _("Jeune en insertion")
    NEWCOMER = "newcomer", _("Primo-arrivant·e ou demandeur·se d'asile")
    SENIOR = "senior", _("Senior")
    JOB_SEEKER = "job_seeker", _("Demandeur·se d'emploi")
    NO_DIPLOMA = "no_diploma", _("Sans diplôme")
    OTHER = "other", _("Autre")


class Need(models.TextChoices):
    """The three service lines (DOMAIN.md), in their usual order; a référent may order them."""

    EQUIP = "equip", _("Équiper")
    CONNECT = "connect", _("Connecter")
    SUPPORT = "support", _("Accompagner")


class ContactPreference(models.TextChoices):
    SMS = "sms", _("SMS")
    CALL = "call", _("Appel téléphonique")
    EMAIL = "email", _("E-mail")
    REFERENT = "referent", _("Par l'intermédiaire du référent")


class Profile(models.TextChoices):
    """The three profiles of the field (DOMAIN.md)."""

    ADVANCED = "advanced", _("Avancé")
    BEGINNER = "beginner", _("Débutant ou intermédiaire")
    EXCLUDED = "excluded", _("Exclu")


class Ability(models.TextChoices):
    """Answer to a diagnostic question."""

    ALONE = "alone", _("Seul·e")
    WITH_HELP = "with_help", _("Avec aide")
    NO = "no", _("Non")


class ConnectionKind(models.TextChoices):
    NONE = "none", _("Aucune connexion")
    PREPAID = "prepaid", _("Carte prépayée")
    MOBILE_PLAN = "mobile_plan", _("Forfait mobile")
    HOME_INTERNET = "home_internet", _("Box internet à domicile")
    PUBLIC_WIFI = "public_wifi", _("Wi-Fi public uniquement")


class Equipment(models.TextChoices):
    BASIC_PHONE = "basic_phone", _("Téléphone simple")
    SMARTPHONE = "smartphone", _("Smartphone")
    COMPUTER = "computer", _("Ordinateur")
    TABLET = "tablet", _("Tablette")


class ExitOutcome(models.TextChoices):
    """How access ended."""

    AUTONOMOUS = "autonomous", _("Bagage numérique minimum atteint")
    PERIOD_ENDED = "period_ended", _("Fin de la période d'accès")
    MOVED_AWAY = "moved_away", _("A déménagé")
    UNREACHABLE = "unreachable", _("Plus joignable")
    OTHER = "other", _("Autre")


class Milestone(models.TextChoices):
    """Milestones the référent sees (never staff notes)."""

    FIRST_VISIT = "first_visit", _("Première venue")
    EQUIPPED = "equipped", _("Équipement obtenu")
    CONNECTED = "connected", _("Connexion obtenue")
    COURSE_FINISHED = "course_finished", _("Parcours terminé")
    EXIT = "exit", _("Sortie")
    # A mediation with a telephone operator: that it is open or closed, never its details.
    MEDIATION_OPENED = "mediation_opened", _("Médiation opérateur ouverte")
    MEDIATION_RESOLVED = "mediation_resolved", _("Médiation opérateur résolue")
    MEDIATION_DROPPED = "mediation_dropped", _("Médiation opérateur close sans suite")


# Milestones a person may reach more than once (a second dispute with an operator); the others
# are recorded once (`timeline.add_entry`).
REPEATABLE_MILESTONES = frozenset(
    {Milestone.MEDIATION_OPENED, Milestone.MEDIATION_RESOLVED, Milestone.MEDIATION_DROPPED}
)
