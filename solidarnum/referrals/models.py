"""Bons d'orientation: a référent refers a person to a reception point."""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.beneficiaries.models import PersonFields
from solidarnum.common.models import TimeStampedModel

from .enums import ReferralStatus

# No 0/O, 1/I/L: the code is read aloud and typed by people.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
# The référent's few sentences: the web form and the API take their limit from here.
REASON_MAX_LENGTH = 2000


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class RefusalReason(models.Model):
    """Coded refusal reasons. Never deleted, only hidden, so history stays readable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    is_active = models.BooleanField(_("proposé"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("motif de refus")
        verbose_name_plural = _("motifs de refus")
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class ReferralQuerySet(models.QuerySet["Referral"]):
    def pending(self) -> "ReferralQuerySet":
        return self.filter(status__in=[ReferralStatus.OPEN, ReferralStatus.UNDER_REVIEW])


class Referral(TimeStampedModel, PersonFields):
    reference = models.CharField(
        _("code"), max_length=12, unique=True, default=new_reference, editable=False
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    partner_structure = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("structure orienteuse"),
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_written",
        verbose_name=_("référent"),
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("point d'accueil"),
    )
    needs_equip = models.BooleanField(_("équiper"), default=False)
    needs_equip_detail = models.CharField(_("précision"), max_length=255, blank=True)
    needs_connect = models.BooleanField(_("connecter"), default=False)
    needs_connect_detail = models.CharField(_("précision"), max_length=255, blank=True)
    needs_support = models.BooleanField(_("accompagner"), default=False)
    needs_support_detail = models.CharField(_("précision"), max_length=255, blank=True)
    # The ticked needs in the order the référent gave ("connect" first, then "equip"...).
    needs_priority = models.JSONField(_("ordre des besoins"), default=list, blank=True)
    reason = models.TextField(
        _("motif de l'orientation"),
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    consent_given_at = models.DateTimeField(_("personne informée le"))
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    refusal_reason = models.ForeignKey(
        RefusalReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("motif de refus"),
    )
    refusal_comment = models.CharField(_("précision sur le refus"), max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("bon d'orientation")
        verbose_name_plural = _("bons d'orientation")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="referral_needs_at_least_one",
                condition=Q(needs_equip=True) | Q(needs_connect=True) | Q(needs_support=True),
            ),
            models.CheckConstraint(
                name="referral_refused_has_reason",
                condition=~Q(status=ReferralStatus.REFUSED) | Q(refusal_reason__isnull=False),
            ),
            models.CheckConstraint(
                name="referral_validated_has_beneficiary",
                condition=~Q(status=ReferralStatus.VALIDATED) | Q(beneficiary__isnull=False),
            ),
            models.CheckConstraint(
                name="referral_birth_year_range",
                condition=Q(birth_year__gte=1900, birth_year__lte=2100),
            ),
            models.CheckConstraint(
                name="referral_phone_or_no_phone",
                condition=~Q(phone="") | Q(has_no_phone=True),
            ),
        ]
        indexes = [
            models.Index(fields=["reception_point", "status", "-created_at"]),
            models.Index(fields=["partner_structure", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["reception_point", "search_name"]),
            models.Index(fields=["phone"]),
            # The inbox of every status, in date order either way, without sorting the site.
            models.Index(
                fields=["reception_point", "created_at", "id"], name="referral_site_created"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def valid_until(self) -> date:
        """The last day the person can present the bon: a pending bon expires once
        `REFERRAL_EXPIRY_DAYS` have gone by (the daily task), so it is valid up to the day
        before, whatever the hour it was written."""
        expires_at = self.created_at + timedelta(days=settings.REFERRAL_EXPIRY_DAYS)
        return timezone.localdate(expires_at) - timedelta(days=1)


class DigestSubscription(models.Model):
    """A référent's weekly digest of their structure's referrals (off by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_digest"
    )
    is_active = models.BooleanField(_("recevoir le récapitulatif hebdomadaire"), default=False)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest {self.user_id}"
