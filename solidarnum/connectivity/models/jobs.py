"""A large delivery file checked, then imported, by a background task (as device batches,
ADR 0018)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import TimeStampedModel
from solidarnum.connectivity.models.codes import Delivery
from solidarnum.equipment.enums import FINISHED_JOB_STATES, ImportJobState, ImportJobStep


class DeliveryJob(TimeStampedModel):
    """A delivery above `CONNECTIVITY_IMPORT_BACKGROUND_ROWS` rows: the task records its progress
    here, then the per-row report or the delivery it created. The uploaded bytes wait in
    `storage_name` (import-export's `MediaStorage`) between the check and the confirmation, a
    day at most. The report never holds a secret code (messages never repeat one, the preview
    only says whether a row has one)."""

    step = models.CharField(_("étape"), max_length=8, choices=ImportJobStep.choices)
    state = models.CharField(
        _("état"), max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="delivery_jobs",
        verbose_name=_("point d'accueil"),
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
    issues = models.JSONField(_("erreurs"), default=list, blank=True)
    preview = models.JSONField(_("aperçu"), default=list, blank=True)
    error_message = models.CharField(_("erreur"), max_length=500, blank=True)
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("livraison"),
    )
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("réception de livraison en arrière-plan")
        verbose_name_plural = _("réceptions de livraisons en arrière-plan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "created_at"]),
            models.Index(fields=["state", "updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="delivery_job_progress_within_total",
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
