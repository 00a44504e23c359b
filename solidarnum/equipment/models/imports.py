"""Refurbishers' batches and the background jobs that import them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import ReferencedModel, TimeStampedModel
from solidarnum.equipment.enums import (
    FINISHED_JOB_STATES,
    ImportJobState,
    ImportJobStep,
)
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


class ImportJob(TimeStampedModel):
    """A large device file checked, then imported, by a background task (ADR 0018).

    Files above `EQUIPMENT_IMPORT_BACKGROUND_ROWS` rows go through a job rather than the request:
    the task records its progress here, then the report (the same per-row issues as the page
    shows) or the batch it created. The uploaded bytes wait in `storage_name` (import-export's
    `MediaStorage`) between the check and the confirmation, never longer than a day.
    """

    step = models.CharField(_("étape"), max_length=8, choices=ImportJobStep.choices)
    state = models.CharField(
        _("état"), max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED
    )
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("don")
    )
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("reconditionneur"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )
    # The role the file was sent with: the task acts with it, and stops if it was withdrawn.
    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("rattachement"),
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    storage_name = models.CharField(_("fichier gardé"), max_length=64, blank=True)
    total_rows = models.PositiveIntegerField(_("lignes"))
    processed_rows = models.PositiveIntegerField(_("lignes vérifiées"), default=0)
    invalid_lines = models.PositiveIntegerField(_("lignes à corriger"), default=0)
    # [{"line", "column", "message"}] and the first rows, as the report and preview show them.
    issues = models.JSONField(_("erreurs"), default=list, blank=True)
    preview = models.JSONField(_("aperçu"), default=list, blank=True)
    error_message = models.CharField(_("erreur"), max_length=500, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lot"),
    )
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import en arrière-plan")
        verbose_name_plural = _("imports en arrière-plan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "created_at"]),
            models.Index(fields=["state", "updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="import_job_progress_within_total",
                condition=Q(processed_rows__lte=models.F("total_rows")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} · {self.get_state_display()}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_JOB_STATES

    @property
    def percent(self) -> int:
        return 100 * self.processed_rows // self.total_rows if self.total_rows else 0
