"""The support app's records: the slots of permanences connectées and their bookings, the waiting
list, workshops and their registrations, course templates, cohorts, their half-day sessions and
attendance, activity records (La Coop's fields, ADR 0035) and satisfaction answers."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import (
    WEEKDAYS,
    AgeBand,
    AppointmentStatus,
    Autonomy,
    CourseKind,
    Gender,
    Presence,
    Redirection,
    RegistrationStatus,
    SessionKind,
)

if TYPE_CHECKING:
    from solidarnum.accounts.models import User

USER = settings.AUTH_USER_MODEL


class SiteSettings(models.Model):
    """What a reception point decides for its support activity."""

    reception_point = models.OneToOneField(
        "network.ReceptionPoint", on_delete=models.CASCADE, related_name="support_settings"
    )
    referents_may_book = models.BooleanField(
        _("les référents réservent une permanence pour les personnes qu'ils orientent"),
        default=False,
    )

    class Meta:
        verbose_name = _("réglages de l'accompagnement")
        verbose_name_plural = _("réglages de l'accompagnement")

    def __str__(self) -> str:
        return str(self.reception_point_id)


class SlotPattern(models.Model):
    """A weekly slot of permanence connectée: a weekday, a time, a duration, a room."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="slot_patterns",
        verbose_name=_("point d'accueil"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("jour"),
        choices=WEEKDAYS,
    )
    start_time = models.TimeField(_("heure de début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    room = models.CharField(_("salle"), max_length=80)
    valid_from = models.DateField(_("à partir du"))
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("créneau hebdomadaire")
        verbose_name_plural = _("créneaux hebdomadaires")
        ordering = ["weekday", "start_time"]
        indexes = [models.Index(fields=["reception_point", "is_active"], name="slot_site_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=240),
                name="slot_duration_range",
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="slot_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M} {self.room}"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


class SlotException(models.Model):
    """A day a weekly slot does not take place (holiday, training, closed room)."""

    pattern = models.ForeignKey(SlotPattern, on_delete=models.CASCADE, related_name="exceptions")
    on = models.DateField(_("date"))
    reason = models.CharField(_("motif"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("exception de créneau")
        verbose_name_plural = _("exceptions de créneau")
        constraints = [
            models.UniqueConstraint(fields=["pattern", "on"], name="slot_exception_once")
        ]

    def __str__(self) -> str:
        return f"{self.pattern_id} {self.on}"


class Appointment(models.Model):
    """One person booked into one slot with one volunteer (a permanence connectée)."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("point d'accueil"),
    )
    pattern = models.ForeignKey(
        SlotPattern, on_delete=models.PROTECT, related_name="appointments", null=True, blank=True
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    room = models.CharField(_("salle"), max_length=80)
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("personne"),
    )
    volunteer = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("bénévole ou conseiller·ère"),
    )
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.UPCOMING,
    )
    what_to_bring = models.CharField(_("à apporter"), max_length=160, blank=True)
    booked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    booked_by_referent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The person's link to their appointment's page and .ics (no login): random, never the pk.
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # When each reminder was logged, so that the scheduled runs never send one twice.
    reminded_before_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_same_day_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When it was last moved to another time or room: the person's page says it changed.
    moved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("permanence connectée")
        verbose_name_plural = _("permanences connectées")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["reception_point", "starts_at"], name="appointment_site_at"),
            models.Index(fields=["volunteer", "starts_at"], name="appointment_volunteer_at"),
            models.Index(fields=["beneficiary", "starts_at"], name="appointment_person_at"),
        ]
        constraints = [
            # A slot of a pattern holds one booking (a cancelled one frees it).
            models.UniqueConstraint(
                fields=["pattern", "starts_at"],
                condition=~Q(status=AppointmentStatus.CANCELLED),
                name="appointment_slot_once",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appt_end"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%d/%m/%Y %H:%M} {self.room}"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class WaitingEntry(models.Model):
    """A person waiting for a permanence at a site; staff see the oldest first."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint", on_delete=models.PROTECT, related_name="waiting_entries"
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary", on_delete=models.CASCADE, related_name="waiting_entries"
    )
    note = models.CharField(_("précision"), max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    served_at = models.DateTimeField(_("sortie de la liste d'attente"), null=True, blank=True)

    class Meta:
        verbose_name = _("attente d'une permanence")
        verbose_name_plural = _("liste d'attente des permanences")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["reception_point", "created_at"],
                condition=Q(served_at__isnull=True),
                name="waiting_site_open",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reception_point", "beneficiary"],
                condition=Q(served_at__isnull=True),
                name="waiting_once_per_site",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reception_point_id} {self.beneficiary_id}"


class Workshop(models.Model):
    """A collective workshop (atelier): a theme, a date, a place, a capacity, its animators."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("point d'accueil"),
    )
    title = models.CharField(_("titre"), max_length=120)
    theme = models.CharField(_("thème"), max_length=40)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    is_outside = models.BooleanField(_("hors les murs"), default=False)
    room = models.CharField(_("salle"), max_length=80, blank=True)
    address = models.CharField(_("adresse (hors les murs)"), max_length=255, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"))
    animators: models.ManyToManyField[User, Any] = models.ManyToManyField(
        USER, related_name="workshops", verbose_name=_("animé par")
    )
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["reception_point", "starts_at"], name="workshop_site_at")]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="workshop_capacity"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_end"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WorkshopRegistration(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary", on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    status = models.CharField(
        _("inscription"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    attended = models.BooleanField(_("venu·e"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inscription à un atelier")
        verbose_name_plural = _("inscriptions aux ateliers")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["beneficiary", "created_at"], name="registration_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "beneficiary"], name="registration_once_per_workshop"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id} {self.beneficiary_id}"


class CourseTemplate(models.Model):
    """A course (parcours): its modules and their half-day sessions, a total of hours."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=CourseKind.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("assiduité requise pour l'attestation (%)"), default=80
    )
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("modèle de parcours")
        verbose_name_plural = _("modèles de parcours")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_threshold__gte=1, attendance_threshold__lte=100),
                name="course_threshold_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CourseModule(models.Model):
    template = models.ForeignKey(CourseTemplate, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("ordre"))
    title = models.CharField(_("module"), max_length=120)
    # Taken out of the course after a cohort used it: kept for that cohort's history, no longer
    # planned for the cohorts opened afterwards (ADR 0042).
    retired_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("module de parcours")
        verbose_name_plural = _("modules de parcours")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="module_order_once")
        ]

    def __str__(self) -> str:
        return self.title


class TemplateSession(models.Model):
    """One half-day of a module, as the template plans it."""

    module = models.ForeignKey(CourseModule, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField(_("ordre"))
    title = models.CharField(_("séance"), max_length=120)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    retired_at = models.DateTimeField(_("retirée le"), null=True, blank=True)  # as a module's

    class Meta:
        verbose_name = _("séance du modèle")
        verbose_name_plural = _("séances du modèle")
        ordering = ["module__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["module", "order"], name="template_session_order_once"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="template_session_duration"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    """A group running a course template at a site, maybe for a partner and a funder programme."""

    template = models.ForeignKey(
        CourseTemplate, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("parcours")
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("point d'accueil"),
    )
    name = models.CharField(_("nom du groupe"), max_length=120)
    starts_on = models.DateField(_("début"))
    capacity = models.PositiveSmallIntegerField(_("places"), default=12)
    partner_structure = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("structure partenaire"),
    )
    funder_programme = models.CharField(_("programme financeur"), max_length=120, blank=True)
    room = models.CharField(_("salle"), max_length=80, blank=True)
    animators: models.ManyToManyField[User, Any] = models.ManyToManyField(
        USER, related_name="cohorts", verbose_name=_("animé par")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("groupe de parcours")
        verbose_name_plural = _("groupes de parcours")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["reception_point", "starts_on"], name="cohort_site_on")]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_capacity")]

    def __str__(self) -> str:
        return self.name


class CohortSession(models.Model):
    """One half-day of a cohort, dated."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    template_session = models.ForeignKey(
        TemplateSession, on_delete=models.PROTECT, related_name="+"
    )
    module = models.ForeignKey(CourseModule, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))

    class Meta:
        verbose_name = _("séance de parcours")
        verbose_name_plural = _("séances de parcours")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["cohort", "starts_at"], name="cohort_session_at"),
            models.Index(fields=["starts_at"], name="cohort_session_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="cohort_session_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} {self.starts_at:%d/%m %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary", on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(_("inscrit·e le"))
    attestation_at = models.DateTimeField(_("attestation de fin de parcours"), null=True)

    class Meta:
        verbose_name = _("inscription à un parcours")
        verbose_name_plural = _("inscriptions aux parcours")
        ordering = ["enrolled_at"]
        indexes = [models.Index(fields=["beneficiary", "enrolled_at"], name="enrolment_person")]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "beneficiary"], name="enrolment_once")
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} {self.beneficiary_id}"


class Attendance(models.Model):
    """Émargement: a person at one half-day, signed on the tablet or ticked by staff."""

    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField(_("présence"), max_length=10, choices=Presence.choices)
    late_minutes = models.PositiveSmallIntegerField(_("retard (minutes)"), default=0)
    left_early_minutes = models.PositiveSmallIntegerField(_("départ anticipé (minutes)"), default=0)
    minutes = models.PositiveSmallIntegerField(_("minutes suivies"), default=0)
    signature = models.TextField(_("signature"), blank=True)  # an SVG path drawn on the tablet
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("émargement")
        verbose_name_plural = _("émargements")
        indexes = [models.Index(fields=["enrolment"], name="attendance_enrolment")]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.enrolment_id}"


class ActivityRecord(models.Model):
    """Compte-rendu d'activité: one accompaniment, one-to-one or collective (La Coop's fields)."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="activity_records",
        verbose_name=_("point d'accueil"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=SessionKind.choices)
    on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    themes = models.JSONField(_("thèmes"), default=list)
    administrative_themes = models.JSONField(_("démarches"), default=list, blank=True)
    autonomy = models.CharField(
        _("autonomie de la personne"), max_length=24, choices=Autonomy.choices, blank=True
    )
    material = models.JSONField(_("matériel utilisé"), default=list, blank=True)
    redirection = models.CharField(
        _("orientation vers"), max_length=40, choices=Redirection.choices, blank=True
    )
    redirected_to_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lieu du réseau"),
    )
    redirected_to_structure = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure partenaire"),
    )
    redirected_to_other = models.CharField(_("autre lieu"), max_length=160, blank=True)
    note = models.CharField(_("note courte"), max_length=500, blank=True)
    animator = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("animé par")
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_records",
    )
    participants = models.PositiveSmallIntegerField(_("participants"), default=1)
    appointment = models.OneToOneField(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="record"
    )
    workshop = models.OneToOneField(
        Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="record"
    )
    cohort_session = models.OneToOneField(
        CohortSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="record"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compte-rendu d'activité")
        verbose_name_plural = _("comptes-rendus d'activité")
        ordering = ["-on", "-pk"]
        indexes = [
            models.Index(fields=["reception_point", "on"], name="record_site_on"),
            models.Index(fields=["beneficiary", "on"], name="record_person_on"),
            models.Index(fields=["animator", "on"], name="record_animator_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="record_duration_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class AnonymousParticipant(models.Model):
    """Someone at a workshop without a file: age band, gender, commune only."""

    record = models.ForeignKey(
        ActivityRecord, on_delete=models.CASCADE, related_name="anonymous_participants"
    )
    age_band = models.CharField(_("tranche d'âge"), max_length=16, choices=AgeBand.choices)
    gender = models.CharField(_("genre"), max_length=16, choices=Gender.choices)
    commune = models.CharField(_("commune"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("participant anonyme")
        verbose_name_plural = _("participants anonymes")

    def __str__(self) -> str:
        return f"{self.record_id} {self.age_band}"


class SurveyAnswer(models.Model):
    """A very short satisfaction survey, sent by a link (its token) or answered on the tablet."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("service"), max_length=12, choices=SessionKind.choices)
    reception_point = models.ForeignKey(
        "network.ReceptionPoint", on_delete=models.PROTECT, related_name="survey_answers"
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_answers",
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=8, default="fr")
    smiley = models.PositiveSmallIntegerField(_("visage choisi"), null=True, blank=True)
    learnt = models.CharField(max_length=8, blank=True)
    clear = models.CharField(max_length=8, blank=True)
    again = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("réponse au questionnaire de satisfaction")
        verbose_name_plural = _("réponses au questionnaire de satisfaction")
        indexes = [
            models.Index(fields=["reception_point", "kind", "answered_at"], name="survey_site"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(smiley__isnull=True) | Q(smiley__gte=1, smiley__lte=5),
                name="survey_smiley_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.token)
