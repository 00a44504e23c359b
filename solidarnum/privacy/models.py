"""The audit trail: who did what to which object, when. Append-only.

Rows are never updated nor deleted: the model refuses it and, on PostgreSQL, database triggers
refuse it too (see migration 0002 and docs/adr/0004-audit-trail.md).
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Création")
    UPDATE = "update", _("Modification")
    DELETE = "delete", _("Suppression")
    VIEW = "view", _("Consultation")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Connexion")


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    # No database foreign key: the trail must outlive any user row and never cascade.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("type d'objet"), max_length=64)
    object_id = models.CharField(_("identifiant"), max_length=64, blank=True)
    # Names of the changed fields only, never their values.
    changed_fields = models.JSONField(_("champs modifiés"), default=list, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        # Ids grow with time: ordering by id walks the primary key, whatever the filters.
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-id"]),
            models.Index(fields=["actor", "-id"]),
            models.Index(fields=["action", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")
