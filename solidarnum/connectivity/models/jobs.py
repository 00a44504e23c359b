"""A large delivery file checked, then imported, by a background task (as device batches,
ADR 0018; the mechanism of every background job, ADR 0043)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from solidarnum.common.jobs.models import BackgroundJob, progress_within_total
from solidarnum.connectivity.models.codes import Delivery


class DeliveryJob(BackgroundJob):
    """A delivery above `CONNECTIVITY_IMPORT_BACKGROUND_ROWS` rows (`deliveries.jobs`): the
    fields, states and progress of every background job, and the delivery it created. The
    report never holds a secret code (messages never repeat one, the preview only says whether
    a row has one)."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="delivery_jobs",
        verbose_name=_("point d'accueil"),
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("livraison"),
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("réception de livraison en arrière-plan")
        verbose_name_plural = _("réceptions de livraisons en arrière-plan")
        constraints = [progress_within_total("delivery_job_progress_within_total")]
