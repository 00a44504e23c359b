"""Refurbishers' batches and the background jobs that import them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.jobs.models import BackgroundJob, progress_within_total
from solidarnum.common.models import ReferencedModel
from solidarnum.equipment.models.donations import Donation


class ImportBatch(ReferencedModel):
    """One file of devices sent by a refurbishing workshop (a "lot")."""

    reference_prefix = "LOT"
    reference_date_field = "imported_at"
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        related_name="batches",
        verbose_name=_("reconditionneur"),
    )
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="batches", verbose_name=_("don")
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    row_count = models.PositiveIntegerField(_("appareils"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("importé le"), default=timezone.now)

    class Meta:
        verbose_name = _("lot importé")
        verbose_name_plural = _("lots importés")
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["refurbisher", "imported_at"])]

    def __str__(self) -> str:
        return self.reference


class ImportJob(BackgroundJob):
    """A large device file checked, then imported, by a background task (ADR 0018).

    Files above `EQUIPMENT_IMPORT_BACKGROUND_ROWS` rows go through a job rather than the request
    (`imports.jobs`); the fields, states and progress are those of every background job
    (`common.jobs`, ADR 0043), the batch is what the import created.
    """

    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("don")
    )
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("reconditionneur"),
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lot"),
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import en arrière-plan")
        verbose_name_plural = _("imports en arrière-plan")
        constraints = [progress_within_total("import_job_progress_within_total")]
