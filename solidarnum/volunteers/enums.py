from django.db import models
from django.utils.translation import gettext_lazy as _


class Skill(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("Accompagnement individuel")
    WORKSHOP = "workshop", _("Animation d'ateliers")
    REFURBISHING = "refurbishing", _("Reconditionnement (contrôle des appareils)")
    PROCEDURES = "procedures", _("Démarches administratives")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("actif")
    PAUSED = "paused", _("en pause")
    LEFT = "left", _("parti")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class HoursCategory(models.TextChoices):
    WELCOME = "welcome", _("Accueil")
    TRAINING = "training", _("Formation reçue")
    EVENT = "event", _("Événement")
    REFURBISHING = "refurbishing", _("Atelier de reconditionnement")


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("à valider")
    VALIDATED = "validated", _("validées")
    REJECTED = "rejected", _("refusées")


class CandidateStatus(models.TextChoices):
    TO_CONTACT = "to_contact", _("à contacter")
    MET = "met", _("rencontré·e")
    WELCOMED = "welcomed", _("accueilli·e")
    INVITED = "invited", _("invité·e")
    DECLINED = "declined", _("non retenu·e")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
