"""The delivery log's table: the recipient masked, the status in words."""

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .masking import mask
from .models import Message


class MessageTable(tables.Table):
    created_at = tables.DateTimeColumn(
        verbose_name=_("Créé le"),
        format="d/m/Y H:i",
        linkify=("notifications:message_detail", {"pk": tables.A("pk")}),
    )
    channel = tables.Column(verbose_name=_("Canal"))
    template = tables.Column(verbose_name=_("Modèle"))
    recipient = tables.Column(verbose_name=_("Destinataire"), orderable=False)
    status = tables.Column(verbose_name=_("Statut"))
    attempt_count = tables.Column(verbose_name=_("Tentatives"), orderable=False)
    segments = tables.Column(verbose_name=_("Segments"), orderable=False, default="—")

    class Meta:
        model = Message
        fields = ["created_at", "channel", "template", "status"]
        sequence = [
            "created_at",
            "channel",
            "template",
            "recipient",
            "status",
            "attempt_count",
            "segments",
        ]
        order_by = ("-created_at",)

    def render_recipient(self, value: str) -> str:
        return mask(value)

    def render_template(self, value: str) -> Any:
        from .messages import _registry

        known = _registry.get(value)
        return known.title if known else value
