from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    UNDER_REVIEW = "under_review", _("À l'étude")
    VALIDATED = "validated", _("Validée")
    REFUSED = "refused", _("Refusée")
    EXPIRED = "expired", _("Expirée")


PENDING_STATUSES = frozenset({ReferralStatus.OPEN, ReferralStatus.UNDER_REVIEW})
CLOSED_STATUSES = frozenset(
    {ReferralStatus.VALIDATED, ReferralStatus.REFUSED, ReferralStatus.EXPIRED}
)
