import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .labels import OBJECT_TYPE_LABELS
from .models import AuditEvent


class AuditEventTable(tables.Table):
    # Sorting by date walks the primary key (ids grow with time).
    at = tables.DateTimeColumn(verbose_name=_("Date"), format="d/m/Y H:i:s", order_by=("id",))
    actor = tables.Column(verbose_name=_("Auteur"), default="—", orderable=False)
    action = tables.Column(verbose_name=_("Action"), orderable=False)
    object_type = tables.Column(verbose_name=_("Objet"), orderable=False)
    object_id = tables.Column(verbose_name=_("Identifiant"), orderable=False)
    changed_fields = tables.Column(verbose_name=_("Champs modifiés"), orderable=False)

    class Meta:
        model = AuditEvent
        fields = ["at", "actor", "action", "object_type", "object_id", "changed_fields"]
        order_by = "-at"

    def render_object_type(self, value: str) -> str:
        return str(OBJECT_TYPE_LABELS.get(value, value))

    def render_changed_fields(self, value: list[str]) -> str:
        return ", ".join(value) or "—"
