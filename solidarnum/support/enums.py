"""The support app's value lists. Themes, autonomy levels, material, redirections, age bands and
genders follow La Coop de la médiation numérique's activity record (ADR 0035): the stored codes
are La Coop's API values, so that our figures add up with the national ones."""

from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]


class AppointmentStatus(models.TextChoices):
    UPCOMING = "upcoming", _("À venir")
    CAME = "came", _("Venu·e")
    EXCUSED = "excused", _("Excusé·e")
    ABSENT = "absent", _("Absent·e")
    CANCELLED = "cancelled", _("Annulé")


# A booking still holding its slot and its volunteer.
HOLDING = (AppointmentStatus.UPCOMING, AppointmentStatus.CAME)


class SessionKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("Permanence connectée")
    WORKSHOP = "workshop", _("Atelier collectif")
    COURSE = "course", _("Séance de parcours")


class Theme(models.TextChoices):
    """La Coop's digital themes (`thematiquesNonAdministrativesApiValues`)."""

    DIAGNOSTIC = "diagnostic_numerique", _("Diagnostic numérique")
    DEVICE_HANDLING = "prendre_en_main_du_materiel", _("Prendre en main du matériel")
    DEVICE_MAINTENANCE = "maintenance_de_materiel", _("Maintenance de matériel")
    CONTENTS = "gere_ses_contenus_numeriques", _("Gérer ses contenus numériques")
    BROWSING = "navigation_sur_internet", _("Navigation sur internet")
    EMAIL = "email", _("E-mail")
    OFFICE = "bureautique", _("Bureautique")
    SOCIAL_NETWORKS = "reseaux_sociaux", _("Réseaux sociaux communication")
    HEALTH = "sante", _("Santé")
    BANKING = "banque_et_achats_en_ligne", _("Banque et achats en ligne")
    ENTREPRENEURSHIP = "entrepreneuriat", _("Accompagner un professionnel")
    EMPLOYMENT = "insertion_professionnelle", _("Insertion professionnelle")
    SECURITY = "securite_numerique", _("Prévention en sécurité numérique")
    PARENTING = "parentalite", _("Parentalité")
    SCHOOL = "scolarite_et_numerique", _("Scolarité et numérique")
    CREATE = "creer_avec_le_numerique", _("Créer avec le numérique")
    CULTURE = "culture_numerique", _("Culture numérique")
    AI = "intelligence_artificielle", _("Intelligence artificielle (IA)")
    ADMINISTRATIVE = "aide_aux_demarches_administratives", _("Aide aux démarches administratives")


class AdministrativeTheme(models.TextChoices):
    """La Coop's administrative themes, only with `Theme.ADMINISTRATIVE`."""

    PAPERS = "papiers_elections_citoyennete", _("Papiers - Élections - Citoyenneté")
    FAMILY = "famille_scolarite", _("Famille - Scolarité")
    SOCIAL_HEALTH = "social_sante", _("Social - Santé")
    WORK = "travail_formation", _("Travail - Formation - Entreprise")
    HOUSING = "logement", _("Logement")
    TRANSPORT = "transports_mobilite", _("Transports - Mobilité")
    MONEY = "argent_impots", _("Argent - Impôts")
    JUSTICE = "justice", _("Justice")
    FOREIGNERS = "etrangers_europe", _("Étrangers - Europe")
    LEISURE = "loisirs_sports_culture", _("Loisirs - Sports - Culture")
    ASSOCIATIONS = "associations", _("Associations")


class Autonomy(models.TextChoices):
    """La Coop's three levels of the person's autonomy at the end of an accompaniment."""

    GUIDED = "entierement_accompagne", _("Entièrement accompagné·e")
    PARTLY = "partiellement_autonome", _("A participé, autonome avec un peu d'aide")
    AUTONOMOUS = "autonome", _("Plutôt autonome")


class Material(models.TextChoices):
    COMPUTER = "ordinateur", _("Ordinateur")
    PHONE = "telephone", _("Téléphone")
    TABLET = "tablette", _("Tablette")
    OTHER = "autre", _("Autre")
    NONE = "aucun", _("Pas de matériel")


class Redirection(models.TextChoices):
    """La Coop's kinds of structure a person is redirected to."""

    OPERATOR = (
        "operateur_ou_organisme_en_charge",
        _("Opérateur ou organisme en charge de la démarche"),
    )
    ADMIN_HELP = (
        "aide_aux_demarches_administratives",
        _("Structure d'aide aux démarches administratives (France Services…)"),
    )
    ADMINISTRATION = "administration", _("Administration (collectivité, préfecture…)")
    MEDIATION = "mediation_numerique", _("Structure de médiation numérique (EPN, médiathèque…)")
    OTHER = "autre", _("Autre")


class AgeBand(models.TextChoices):
    MINOR = "mineur", _("Mineur·e")
    FROM_18 = "18_24", _("18 - 24 ans")
    FROM_25 = "25_39", _("25 - 39 ans")
    FROM_40 = "40_59", _("40 - 59 ans")
    FROM_60 = "60_69", _("60 - 69 ans")
    FROM_70 = "70_plus", _("70 ans ou plus")
    UNKNOWN = "non_communique", _("Non communiqué")


class Gender(models.TextChoices):
    MALE = "masculin", _("Masculin")
    FEMALE = "feminin", _("Féminin")
    UNKNOWN = "non_communique", _("Non communiqué")


# La Coop's preset durations (minutes); any other duration is allowed ("personnaliser").
PRESET_DURATIONS = (15, 30, 45, 60, 90, 120)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrit·e")
    WAITING = "waiting", _("En liste d'attente")
    CANCELLED = "cancelled", _("Annulé")


class CourseKind(models.TextChoices):
    INITIATION = "initiation", _("Initiation")
    PARENTING = "e_parentalite", _("e-parentalité")
    EMPLOYMENT = "emploi", _("Parcours Emploi")
    OTHER = "other", _("Autre parcours")


class Presence(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    ABSENT = "absent", _("Absent·e")
    EXCUSED = "excused", _("Excusé·e")


class Smiley(models.IntegerChoices):
    VERY_UNHAPPY = 1, _("Pas du tout content·e")
    UNHAPPY = 2, _("Pas content·e")
    NEUTRAL = 3, _("Moyen")
    HAPPY = 4, _("Content·e")
    VERY_HAPPY = 5, _("Très content·e")


# Counted as satisfied in the satisfaction rate.
SATISFIED = (Smiley.HAPPY, Smiley.VERY_HAPPY)
