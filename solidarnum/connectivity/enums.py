from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferKind(models.TextChoices):
    SIM = "sim", _("Carte SIM")
    TOP_UP = "top_up", _("Recharge")
    DATA = "data", _("Carte internet (data)")
    OTHER = "other", _("Autre")


class CodeStatus(models.TextChoices):
    """Where a card or code stands. Moves are listed in `lifecycle.TRANSITIONS`."""

    IN_STOCK = "in_stock", _("En stock")
    RESERVED = "reserved", _("Réservé")
    IN_TRANSIT = "in_transit", _("En transit")
    CONSIGNED = "consigned", _("Confié à un relais")
    SOLD = "sold", _("Vendu")
    GIVEN = "given", _("Donné (pack maraude)")
    DEFECTIVE = "defective", _("Défectueux")
    EXPIRED = "expired", _("Expiré")


# Statuses of a code still held by the association (a place or a relay): a revealed code is never
# in one of them (database constraint `code_revealed_never_on_sale`).
HELD_STATUSES = frozenset(
    {CodeStatus.IN_STOCK, CodeStatus.RESERVED, CodeStatus.IN_TRANSIT, CodeStatus.CONSIGNED}
)
# Statuses a code ends in: it has left the stock for good.
FINAL_STATUSES = frozenset(
    {CodeStatus.SOLD, CodeStatus.GIVEN, CodeStatus.DEFECTIVE, CodeStatus.EXPIRED}
)


class CodeTransferStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("En transit")
    RECEIVED = "received", _("Reçu")
    DISCREPANCY = "discrepancy", _("Reçu avec écart")


class StatementStatus(models.TextChoices):
    VALIDATED = "validated", _("Validé")
    PAID = "paid", _("Payé")


class MediationKind(models.TextChoices):
    UNEXPECTED_BILL = "unexpected_bill", _("Facture imprévue")
    TERMINATION = "termination", _("Résiliation")
    PORTABILITY = "portability", _("Portabilité du numéro")
    DEBT = "debt", _("Dette")
    BLOCKED_LINE = "blocked_line", _("Ligne bloquée")


class MediationStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    IN_PROGRESS = "in_progress", _("En cours")
    RESOLVED = "resolved", _("Résolu")
    DROPPED = "dropped", _("Sans suite")


OPEN_MEDIATION_STATUSES = frozenset({MediationStatus.OPEN, MediationStatus.IN_PROGRESS})


class MediationStepKind(models.TextChoices):
    """The legal path of a dispute with a telecom operator, then what may happen along it."""

    WRITTEN_COMPLAINT = "written_complaint", _("Réclamation écrite au service client")
    CONSUMER_SERVICE = "consumer_service", _("Saisine du service consommateurs de l'opérateur")
    MEDIATOR = "mediator", _("Saisine du Médiateur des communications électroniques")
    OPERATOR_ANSWER = "operator_answer", _("Réponse de l'opérateur")
    MEDIATOR_OPINION = "mediator_opinion", _("Avis du médiateur")
    NOTE = "note", _("Autre étape")
