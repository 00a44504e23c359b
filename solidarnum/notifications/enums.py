from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class MessageKind(models.TextChoices):
    """Transactional messages (a voucher, a reminder, a receipt) may go at any hour and still go
    after a STOP reply; the others only in the allowed hours, and never after STOP."""

    TRANSACTIONAL = "transactional", _("essentiel")
    INFORMATIONAL = "informational", _("information")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    SENT = "sent", _("envoyé")
    DELIVERED = "delivered", _("délivré")
    FAILED = "failed", _("échec")
    CANCELLED = "cancelled", _("non envoyé")


FINAL_STATUSES = (MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.CANCELLED)


class AttemptOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepté par le fournisseur")
    TEMPORARY = "temporary", _("erreur temporaire")
    PROVIDER = "provider", _("refusé par le fournisseur")
    RECIPIENT = "recipient", _("destinataire refusé")
