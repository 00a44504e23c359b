"""The person's file: identity and contact, situation, access periods, diagnostics, timeline.

Minimal data: a birth year, never a birth date; no social security number. URLs use the random
`public_id`, never the primary key.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from solidarnum.common.models import TimeStampedModel

from .enums import (
    ConnectionKind,
    ContactPreference,
    ExitOutcome,
    Housing,
    Milestone,
    Profile,
)

MIN_BIRTH_YEAR = 1900


class BeneficiaryQuerySet(models.QuerySet["Beneficiary"]):
    def current(self) -> "BeneficiaryQuerySet":
        """Files that were not merged into another one."""
        return self.filter(merged_into__isnull=True)

    def refresh_access_ends_on(self) -> int:
        """Write on these files the effective end of their latest access period (None without
        one), in one UPDATE. Every write on access periods calls it (ADR 0023)."""
        latest = (
            AccessPeriod.objects.filter(beneficiary=OuterRef("pk"))
            .order_by("-ends_on", "-pk")
            .annotate(last_day=Coalesce("ended_early_on", "ends_on"))
            .values("last_day")[:1]
        )
        return self.update(access_ends_on=Subquery(latest))


class PersonFields(models.Model):
    """What a référent writes about a person; copied from the referral into the file."""

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"))
    phone = PhoneNumberField(_("téléphone"), blank=True)
    has_no_phone = models.BooleanField(_("pas de téléphone"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.JSONField(
        _("langues parlées"),
        default=list,
        blank=True,
        help_text=_("Codes de langue, par exemple fr, ar, en."),
    )
    contact_preference = models.CharField(
        _("comment la joindre"),
        max_length=16,
        choices=ContactPreference.choices,
        default=ContactPreference.SMS,
    )
    contact_notes = models.CharField(
        _("autre moyen de contact"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple : joindre par l'intermédiaire du référent."),
    )
    housing = models.CharField(_("logement"), max_length=16, choices=Housing.choices)
    publics = models.JSONField(_("public"), default=list, blank=True)
    # Normalised "last first" without accents, lowercased: indexed for fast search.
    search_name = models.CharField(max_length=210, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        from solidarnum.common.text import normalize_name

        self.search_name = normalize_name(f"{self.last_name} {self.first_name}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Beneficiary(TimeStampedModel, PersonFields):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="beneficiaries",
        verbose_name=_("point d'accueil"),
    )
    partner_structure = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="beneficiaries",
        verbose_name=_("structure orienteuse"),
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("référent"),
    )
    needs_equip = models.BooleanField(_("besoin : équiper"), default=False)
    needs_connect = models.BooleanField(_("besoin : connecter"), default=False)
    needs_support = models.BooleanField(_("besoin : accompagner"), default=False)
    # The ticked needs in order, from the latest referral (`labels.ordered_needs`).
    needs_priority = models.JSONField(_("ordre des besoins"), default=list, blank=True)
    profile = models.CharField(_("profil"), max_length=16, choices=Profile.choices, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_files",
        verbose_name=_("fusionné dans"),
    )
    exited_on = models.DateField(_("date de sortie"), null=True, blank=True)
    exit_outcome = models.CharField(
        _("motif de sortie"), max_length=16, choices=ExitOutcome.choices, blank=True
    )
    exit_comment = models.CharField(_("commentaire de sortie"), max_length=255, blank=True)
    is_equipped = models.BooleanField(_("équipé·e"), default=False)
    is_connected = models.BooleanField(_("connecté·e"), default=False)
    has_basic_skills = models.BooleanField(_("compétences de base acquises"), default=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The effective end of the latest access period (its early end included), kept by the
    # services that write access periods: the list filters and sorts on it with an index.
    access_ends_on = models.DateField(_("fin de l'accès"), null=True, blank=True, editable=False)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("bénéficiaire")
        verbose_name_plural = _("bénéficiaires")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                name="beneficiary_birth_year_range",
                condition=Q(birth_year__gte=MIN_BIRTH_YEAR, birth_year__lte=2100),
            ),
            models.CheckConstraint(
                name="beneficiary_phone_or_no_phone",
                condition=~Q(phone="") | Q(has_no_phone=True),
            ),
        ]
        indexes = [
            models.Index(fields=["reception_point", "search_name"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["search_name", "birth_year"]),
            # The people list of a site: its order, and the access filter (ADR 0023).
            models.Index(
                fields=["reception_point", "last_name", "first_name", "id"],
                name="beneficiary_site_name_order",
            ),
            models.Index(
                fields=["reception_point", "access_ends_on"], name="beneficiary_site_access_end"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class AccessPeriod(models.Model):
    """The 18-month boost. A new validated referral renews it."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="access_periods"
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_early_on = models.DateField(_("fin anticipée"), null=True, blank=True)

    class Meta:
        verbose_name = _("période d'accès")
        ordering = ["-ends_on"]
        constraints = [
            models.CheckConstraint(
                name="access_period_ordered", condition=Q(ends_on__gte=models.F("starts_on"))
            )
        ]
        indexes = [models.Index(fields=["beneficiary", "-ends_on"])]

    def __str__(self) -> str:
        return f"{self.starts_on} → {self.ends_on}"

    @property
    def effective_end(self):
        return self.ended_early_on or self.ends_on

    def days_left(self, today=None) -> int:
        today = today or timezone.localdate()
        return max(0, (self.effective_end - today).days)


class Diagnostic(models.Model):
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="diagnostics"
    )
    done_at = models.DateTimeField(_("date"), default=timezone.now)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answers = models.JSONField(_("réponses"), default=dict)  # question code -> Ability
    equipment = models.JSONField(_("équipement"), default=list, blank=True)  # Equipment codes
    connection = models.CharField(
        _("connexion"), max_length=16, choices=ConnectionKind.choices, default=ConnectionKind.NONE
    )
    telecom_spend_monthly = models.DecimalField(
        _("dépenses télécom par mois (€)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    computed_profile = models.CharField(max_length=16, choices=Profile.choices)
    profile = models.CharField(_("profil retenu"), max_length=16, choices=Profile.choices)
    override_reason = models.CharField(
        _("raison du changement de profil"), max_length=255, blank=True
    )
    suggested_services = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("diagnostic")
        ordering = ["-done_at"]
        indexes = [models.Index(fields=["beneficiary", "-done_at"])]
        constraints = [  # an overridden profile always has its reason
            models.CheckConstraint(
                name="diagnostic_override_has_reason",
                condition=Q(profile=models.F("computed_profile")) | ~Q(override_reason=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_profile_display()} ({self.done_at:%d/%m/%Y})"


class TimelineEntry(models.Model):
    """One thing that happened to a person. Other apps add entries through
    `solidarnum.beneficiaries.timeline.add_entry` (see that module)."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)  # e.g. "referral.validated", "diagnostic.done"
    summary = models.CharField(max_length=255)  # plain French sentence, no sensitive detail
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    milestone = models.CharField(max_length=20, choices=Milestone.choices, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("événement du parcours")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["beneficiary", "-at"]),
            models.Index(fields=["beneficiary", "milestone"]),
        ]

    def __str__(self) -> str:
        return self.summary


class StaffNote(models.Model):
    """Staff notes. The person may ask to read them: the form says so."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("note de suivi")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
