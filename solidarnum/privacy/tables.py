from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .labels import field_labels, kind_label
from .links import Key, ObjectRef
from .models import AuditEvent


class AuditEventTable(tables.Table):
    """Rows as a reader understands them: French kinds and fields, objects named as the UI names
    them (`refs`, resolved for the whole page at once by `links.describe`)."""

    # Sorting by date walks the primary key (ids grow with time).
    at = tables.DateTimeColumn(verbose_name=_("Date"), format="d/m/Y H:i:s", order_by=("id",))
    actor = tables.Column(verbose_name=_("Auteur"), default="—", orderable=False)
    action = tables.Column(verbose_name=_("Action"), orderable=False)
    object_type = tables.Column(verbose_name=_("Objet"), orderable=False)
    changed_fields = tables.Column(verbose_name=_("Champs modifiés"), orderable=False)

    class Meta:
        model = AuditEvent
        fields = ["at", "actor", "action", "object_type", "changed_fields"]
        order_by = "-at"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refs: dict[Key, ObjectRef] = {}

    def render_actor(self, value: Any) -> str:
        return str(value.get_full_name() or value.email)

    def render_object_type(self, record: AuditEvent) -> SafeString:
        kind = kind_label(record.object_type)
        if not record.object_id:
            return format_html("{}", kind)
        ref = self.refs.get((record.object_type, record.object_id), ObjectRef(text="—"))
        history = "{}?{}".format(
            reverse("privacy:audit_list"),
            urlencode({"object_type": record.object_type, "object_id": record.object_id}),
        )
        name = format_html('<a href="{}">{}</a>', ref.url, ref.text) if ref.url else ref.text
        return format_html(
            '<span class="muted small">{}</span><br>{} · '
            '<a class="small" href="{}" title="{}">{}</a>',
            kind,
            name,
            history,
            _("Toutes les lignes de cet objet"),
            _("historique"),
        )

    def render_changed_fields(self, record: AuditEvent) -> str:
        return ", ".join(field_labels(record.object_type, record.changed_fields)) or "—"
