"""Volunteers: their profile, weekly availability and absences, declared hours, candidates,
trainings of social professionals and the messages a site sends its volunteers.

A volunteer's sites are their volunteer memberships (`accounts.Membership`, role volunteer):
the profile holds what the person is, the memberships where they act.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .enums import (
    CandidateStatus,
    ContactChannel,
    HoursCategory,
    HoursStatus,
    VolunteerStatus,
    Weekday,
)


class VolunteerProfile(models.Model):
    """Filled by the volunteer (on a phone), checked by the site manager."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    phone = PhoneNumberField(_("téléphone"), blank=True)
    contact_channel = models.CharField(
        _("recevoir les messages du point d'accueil par"),
        max_length=8,
        choices=ContactChannel.choices,
        default=ContactChannel.EMAIL,
    )
    skills = models.JSONField(_("compétences"), default=list, blank=True)
    languages_spoken = models.JSONField(_("langues parlées"), default=list, blank=True)
    languages_read = models.JSONField(_("langues lues"), default=list, blank=True)
    started_on = models.DateField(_("bénévole depuis le"), null=True, blank=True)
    charter_signed_on = models.DateField(_("charte signée le"), null=True, blank=True)
    charter_version = models.CharField(_("version de la charte"), max_length=20, blank=True)
    # The onboarding checklist: the charter above, a first session as an observer, the
    # refurbishing training for those who check devices.
    observed_on = models.DateField(_("première séance en observation le"), null=True, blank=True)
    refurbishing_trained_on = models.DateField(
        _("formation au reconditionnement le"), null=True, blank=True
    )
    emergency_contact_name = models.CharField(
        _("personne à prévenir en cas d'urgence"), max_length=150, blank=True
    )
    emergency_contact_phone = PhoneNumberField(_("son téléphone"), blank=True)
    status = models.CharField(
        _("statut"), max_length=8, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Emptied when the volunteer changes their profile: the site manager checks it again.
    checked_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil de bénévole")
        verbose_name_plural = _("profils de bénévoles")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return str(self.user)


class WeeklySlot(models.Model):
    """A recurring weekly slot at one site: "le mardi de 14 h à 17 h à Paris 19e"."""

    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="slots")
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("point d'accueil"),
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    starts_at = models.TimeField(_("de"))
    ends_at = models.TimeField(_("à"))

    class Meta:
        verbose_name = _("disponibilité")
        verbose_name_plural = _("disponibilités")
        ordering = ["weekday", "starts_at"]
        indexes = [models.Index(fields=["reception_point", "weekday"])]
        constraints = [
            models.CheckConstraint(
                name="weekly_slot_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class Absence(models.Model):
    """Holidays or any period without coming, both days included."""

    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["profile", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                name="absence_ends_after_start", condition=Q(ends_on__gte=F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y}-{self.ends_on:%d/%m/%Y}"


class DeclaredHours(models.Model):
    """Hours a volunteer declares themselves, validated by the site manager."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_hours"
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("point d'accueil"),
    )
    worked_on = models.DateField(_("le"))
    minutes = models.PositiveIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    category = models.CharField(_("catégorie"), max_length=16, choices=HoursCategory.choices)
    comment = models.CharField(_("précision"), max_length=200, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=HoursStatus.choices, default=HoursStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("heures déclarées")
        verbose_name_plural = _("heures déclarées")
        ordering = ["-worked_on", "-id"]
        indexes = [
            models.Index(fields=["reception_point", "status", "worked_on"]),
            models.Index(fields=["user", "worked_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="declared_hours_positive",
                condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60),
            )
        ]

    def __str__(self) -> str:
        return f"{self.worked_on:%d/%m/%Y} · {self.minutes} min"


class Candidate(models.Model):
    """Someone who filled the public "devenir bénévole" form: only what the form asks."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("point d'accueil"),
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = PhoneNumberField(_("téléphone"), blank=True)
    skills = models.JSONField(_("compétences"), default=list, blank=True)
    availability = models.CharField(_("disponibilités"), max_length=300, blank=True)
    consented_at = models.DateTimeField(_("consentement donné le"))
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=CandidateStatus.choices,
        default=CandidateStatus.TO_CONTACT,
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    invitation = models.ForeignKey(
        "accounts.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invitation envoyée"),
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidature de bénévole")
        verbose_name_plural = _("candidatures de bénévoles")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["reception_point", "status", "-created_at"]),
            models.Index(fields=["status", "declined_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Training(models.Model):
    """A training session for social professionals (référents and other social workers)."""

    theme = models.CharField(_("thème"), max_length=200)
    starts_at = models.DateTimeField(_("le"))
    minutes = models.PositiveIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(5 * 24 * 60)]
    )
    is_remote = models.BooleanField(_("à distance"), default=False)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    trainer = models.CharField(_("formateur ou formatrice"), max_length=150)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisée par le point d'accueil"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("formation de professionnels")
        verbose_name_plural = _("formations de professionnels")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                name="training_capacity_positive", condition=Q(capacity__gt=0) & Q(minutes__gt=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme} · {self.starts_at:%d/%m/%Y}"


class TrainingRegistration(models.Model):
    """A professional registered to a training by their structure's lead référent or by staff."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    partner_structure = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("structure"),
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("e-mail"))
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inscription à une formation")
        verbose_name_plural = _("inscriptions à une formation")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["partner_structure", "attended"])]
        constraints = [
            models.UniqueConstraint(fields=["training", "email"], name="training_registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Broadcast(models.Model):
    """A message from a site manager to the site's volunteers ("besoin de renfort samedi")."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint", on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("message"), max_length=300)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message aux bénévoles")
        verbose_name_plural = _("messages aux bénévoles")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["reception_point", "-sent_at"])]

    def __str__(self) -> str:
        return self.text[:40]


class BroadcastRecipient(models.Model):
    """One volunteer a broadcast went to, and whether they answered that they come."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, blank=True)  # empty: no usable contact
    coming_at = models.DateTimeField(_("vient"), null=True, blank=True)

    class Meta:
        verbose_name = _("destinataire")
        verbose_name_plural = _("destinataires")
        indexes = [models.Index(fields=["user", "broadcast"])]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "user"], name="broadcast_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id} · {self.user_id}"
