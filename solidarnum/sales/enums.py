from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Clôturée")


class BasketStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    SOLD = "sold", _("Payé")
    ABANDONED = "abandoned", _("Abandonné")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Espèces")
    CARD = "card", _("Carte bancaire")
    FREE = "free", _("Gratuit")


class LineKind(models.TextChoices):
    DEVICE = "device", _("Appareil")
    CODE = "code", _("Carte ou code")


class RefundKind(models.TextChoices):
    REFUND = "refund", _("Remboursement")
    VOID = "void", _("Annulation")
    EXCHANGE = "exchange", _("Échange d'appareil")


class ReceiptKind(models.TextChoices):
    SALE = "sale", _("Ticket de vente")
    REFUND = "refund", _("Avoir de remboursement")
    VOID = "void", _("Ticket d'annulation")
    EXCHANGE = "exchange", _("Ticket d'échange")
