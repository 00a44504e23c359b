"""The abstract background job: a large file checked, then imported, by a Celery task.

Each app that imports large files in the background has one concrete model on this base (its
own table, its own foreign keys: the donation, the reception point, what the import created);
the fields, states and progress below are the same for all. The runner (`jobs.runner`) and the
daily purge (`jobs.purge`) work on any of them (ADR 0043).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import TimeStampedModel


class ImportJobStep(models.TextChoices):
    """What a background import job does: check the file, or import it for real."""

    CHECK = "check", _("Vérification")
    IMPORT = "import", _("Import")


class ImportJobState(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    CHECKED = "checked", _("Vérifié, à confirmer")
    REFUSED = "refused", _("Lignes à corriger")
    IMPORTED = "imported", _("Importé")
    FAILED = "failed", _("Échec")
    EXPIRED = "expired", _("Expiré")


# A job in these states is finished: its page stops refreshing.
FINISHED_JOB_STATES = frozenset(
    {
        ImportJobState.CHECKED,
        ImportJobState.REFUSED,
        ImportJobState.IMPORTED,
        ImportJobState.FAILED,
        ImportJobState.EXPIRED,
    }
)

# The states in which a job still needs its stored file, or will once confirmed.
PENDING_JOB_STATES = (ImportJobState.CHECKED, ImportJobState.QUEUED, ImportJobState.RUNNING)


class BackgroundJob(TimeStampedModel):
    """A large file checked, then imported, by a background task (ADR 0018, ADR 0043).

    The task records its progress here, then the report (the same per-row issues as the page
    shows, and the first rows as a preview) or, in the concrete model's own foreign key, what
    it created. The uploaded bytes wait in `storage_name` (import-export's `MediaStorage`)
    between the check and the confirmation, never longer than a day. A concrete model adds its
    constraint `progress_within_total(name)` to its `Meta` (constraint names are per table).
    """

    step = models.CharField(_("étape"), max_length=8, choices=ImportJobStep.choices)
    state = models.CharField(
        _("état"), max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED
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
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        # Named per table when a concrete model is built: the person's jobs, the daily expiry.
        indexes = [
            models.Index(fields=["created_by", "created_at"]),
            models.Index(fields=["state", "updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} · {self.get_state_display()}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_JOB_STATES

    @property
    def percent(self) -> int:
        return 100 * self.processed_rows // self.total_rows if self.total_rows else 0


def progress_within_total(name: str) -> models.CheckConstraint:
    """The job's progress never exceeds its file's rows (each concrete model names it)."""
    return models.CheckConstraint(
        name=name, condition=Q(processed_rows__lte=models.F("total_rows"))
    )
