from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from solidarnum.common.lists import ListTable

from .labels import field_labels, kind_label
from .links import Key, ObjectRef
from .models import AuditEvent


class AuditEventTable(ListTable):
    """Rows as a reader understands them: French kinds and fields, objects named as the UI names
    them (`refs`, resolved for the whole page at once by `links.describe`)."""

    row_template = "privacy/_audit_rows.html"
    region_label = _("Journal d'audit")
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
        self.history_url = reverse("privacy:audit_list")
        self.history_title = _("Toutes les lignes de cet objet")
        self.history_text = _("historique")

    def prepare(self, records: list[AuditEvent]) -> None:
        for record in records:
            actor = record.actor
            record.actor_text = (actor.get_full_name() or actor.email) if actor else "—"  # type: ignore[attr-defined]
            record.object_html = self.object_cell(record)  # type: ignore[attr-defined]
            record.fields_text = (  # type: ignore[attr-defined]
                ", ".join(field_labels(record.object_type, record.changed_fields)) or "—"
            )

    def object_cell(self, record: AuditEvent) -> SafeString:
        kind = kind_label(record.object_type)
        if not record.object_id:
            return format_html("{}", kind)
        ref = self.refs.get((record.object_type, record.object_id), ObjectRef(text="—"))
        history = "{}?{}".format(
            self.history_url,
            urlencode({"object_type": record.object_type, "object_id": record.object_id}),
        )
        name = format_html('<a href="{}">{}</a>', ref.url, ref.text) if ref.url else ref.text
        return format_html(
            '<span class="muted small">{}</span><br>{} · '
            '<a class="small" href="{}" title="{}">{}</a>',
            kind,
            name,
            history,
            self.history_title,
            self.history_text,
        )
