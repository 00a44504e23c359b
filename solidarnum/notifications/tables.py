"""The delivery log's table (the list pattern of ADR 0024): the recipient masked, the template
by its title, the status in words."""

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from solidarnum.common.lists import ListTable

from . import messages
from .masking import mask
from .models import Message


class MessageTable(ListTable):
    row_template = "notifications/_message_rows.html"
    region_label = _("Messages envoyés")

    created_at = tables.Column(verbose_name=_("Créé le"))
    channel = tables.Column(verbose_name=_("Canal"))
    template = tables.Column(verbose_name=_("Modèle"))
    recipient = tables.Column(verbose_name=_("Destinataire"), orderable=False)
    status = tables.Column(verbose_name=_("Statut"))
    attempt_count = tables.Column(verbose_name=_("Tentatives"), orderable=False)
    segments = tables.Column(verbose_name=_("Segments"), orderable=False)

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

    def prepare(self, records: list[Any]) -> None:
        for record in records:
            known = messages._registry.get(record.template)
            record.template_title = known.title if known else record.template
            record.masked_recipient = mask(record.recipient)
