"""The delivery log (one row per message, one per attempt) and what sending learnt about a
contact: a phone that could not be reached, a number that answered STOP.

What is learnt about a person's contact is kept here, keyed by their file, and shown on the file
through `beneficiaries.file_page`; the file itself is not changed.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import AttemptOutcome, Channel, MessageKind, MessageStatus


class Message(models.Model):
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    template = models.CharField(_("modèle"), max_length=80)
    kind = models.CharField(_("nature"), max_length=16, choices=MessageKind.choices)
    language = models.CharField(_("langue"), max_length=8)
    # The address or number; replaced by its masked form when the text is purged.
    recipient = models.CharField(_("destinataire"), max_length=254)
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier"),
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("point d'accueil"),
    )
    # The object the message is about (as in the audit trail: "app.model" and its id), and what
    # it looked like when the message was queued: a message about an object changed since is
    # not sent (`staleness`).
    object_type = models.CharField(_("objet"), max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    fingerprint = models.CharField(max_length=128, blank=True)
    subject = models.CharField(_("objet du message"), max_length=255, blank=True)
    body = models.TextField(_("texte"), blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    error = models.CharField(_("erreur"), max_length=255, blank=True)
    provider = models.CharField(_("fournisseur"), max_length=32, blank=True)
    provider_message_id = models.CharField(max_length=128, blank=True)
    segments = models.PositiveSmallIntegerField(_("segments SMS"), null=True, blank=True)
    cost = models.DecimalField(_("coût"), max_digits=8, decimal_places=4, null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    not_before = models.DateTimeField(_("pas avant"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("délivré le"), null=True, blank=True)
    failed_at = models.DateTimeField(_("en échec le"), null=True, blank=True)
    text_purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["reception_point", "-created_at"]),
            models.Index(fields=["beneficiary", "-created_at"]),
            models.Index(fields=["status", "not_before"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="message_unique_provider_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk}"


class Attempt(models.Model):
    """One try with one provider: the log shows a retry and a fallback as separate rows."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempts")
    provider = models.CharField(_("fournisseur"), max_length=32)
    at = models.DateTimeField(_("le"), auto_now_add=True)
    outcome = models.CharField(_("résultat"), max_length=16, choices=AttemptOutcome.choices)
    error = models.CharField(_("erreur"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tentative d'envoi")
        verbose_name_plural = _("tentatives d'envoi")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.provider} {self.outcome}"


class DoubtfulPhone(models.Model):
    """A permanent error from the provider on a person's phone: the file shows "le dernier SMS
    n'a pas été reçu" while its phone is still this number."""

    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dossier"),
    )
    phone = models.CharField(_("numéro"), max_length=32)
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, related_name="+")
    error = models.CharField(_("erreur"), max_length=255, blank=True)
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("numéro douteux")
        verbose_name_plural = _("numéros douteux")
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "phone"], name="doubtful_phone_once")
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id}"


class OptOut(models.Model):
    """A number that answered STOP: only essential messages are sent to it."""

    phone = models.CharField(_("numéro"), max_length=32, unique=True)
    at = models.DateTimeField(_("le"), auto_now_add=True)
    provider = models.CharField(_("fournisseur"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("refus des messages (STOP)")
        verbose_name_plural = _("refus des messages (STOP)")

    def __str__(self) -> str:
        return f"STOP #{self.pk}"
