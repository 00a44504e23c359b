from django.db import models
from django.utils.translation import gettext_lazy as _


class Typology(models.TextChoices):
    """Partner structure typologies (data·inclusion codes). Codes are stable; labels may change."""

    CCAS = "CCAS", _("CCAS – centre communal d'action sociale")
    CIAS = "CIAS", _("CIAS – centre intercommunal d'action sociale")
    DEPT = "DEPT", _("Services sociaux du département (EDS, MDS)")
    FT = "FT", _("France Travail (ex Pôle emploi)")
    ML = "ML", _("Mission locale")
    CAF = "CAF", _("CAF – caisse d'allocations familiales")
    CADA = "CADA", _("CADA – accueil des demandeurs d'asile")
    HUDA = "HUDA", _("HUDA – hébergement d'urgence des demandeurs d'asile")
    CHRS = "CHRS", _("CHRS – hébergement et réinsertion sociale")
    CHU = "CHU", _("CHU – hébergement d'urgence")
    PIMMS = "PIMMS", _("PIMMS – point d'information médiation multi-services")
    EPN = "EPN", _("EPN – espace public numérique")
    BIB = "BIB", _("Bibliothèque / médiathèque")
    ASSO = "ASSO", _("Association")
    MUNI = "MUNI", _("Mairie")
    FS = "FS", _("France Services")
    RESSOURCERIE = "RESSOURCERIE", _("Ressourcerie")
    TIERS_LIEUX = "TIERS_LIEUX", _("Tiers-lieu")


class PlaceService(models.TextChoices):
    """Services of the national open-data schema (lieux de médiation numérique v1.0.2)."""

    ADMIN = "Aide aux démarches administratives", _("Aide aux démarches administratives")
    DAILY_TOOLS = (
        "Maîtrise des outils numériques du quotidien",
        _("Maîtrise des outils numériques du quotidien"),
    )
    EMPLOYMENT = (
        "Insertion professionnelle via le numérique",
        _("Insertion professionnelle via le numérique"),
    )
    SAFETY = "Utilisation sécurisée du numérique", _("Utilisation sécurisée du numérique")
    PARENTING = (
        "Parentalité et éducation avec le numérique",
        _("Parentalité et éducation avec le numérique"),
    )
    LEISURE = "Loisirs et créations numériques", _("Loisirs et créations numériques")
    UNDERSTANDING = "Compréhension du monde numérique", _("Compréhension du monde numérique")
    ACCESS = "Accès internet et matériel informatique", _("Accès internet et matériel informatique")
    EQUIPMENT = (
        "Acquisition de matériel informatique à prix solidaire",
        _("Acquisition de matériel informatique à prix solidaire"),
    )
