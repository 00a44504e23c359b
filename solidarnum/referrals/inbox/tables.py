"""The table of the reception point's referral inbox."""

from datetime import datetime
from typing import Any

import django_tables2 as tables
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidarnum.referrals.enums import PENDING_STATUSES
from solidarnum.referrals.models import Referral


def needs_labels(referral: Referral) -> list[str]:
    labels = []
    if referral.needs_equip:
        labels.append(str(_("Équiper")))
    if referral.needs_connect:
        labels.append(str(_("Connecter")))
    if referral.needs_support:
        labels.append(str(_("Accompagner")))
    return labels


def age_in_days(created_at: datetime, now: datetime | None = None) -> int:
    """Whole days since the referral arrived (the reminder task counts the same way)."""
    return ((now or timezone.now()) - created_at).days


def status_badge(referral: Referral) -> SafeString:
    css = "badge" if referral.status in PENDING_STATUSES else "badge badge-off"
    return format_html('<span class="{}">{}</span>', css, referral.get_status_display())


class ReferralInboxTable(tables.Table):
    reference = tables.Column(
        verbose_name=_("Code"),
        linkify=("referrals:referral_detail", {"reference": tables.A("reference")}),
    )
    person = tables.Column(
        verbose_name=_("Personne"), accessor="last_name", order_by=("last_name", "first_name")
    )
    partner_structure = tables.Column(
        verbose_name=_("Structure orienteuse"), accessor="partner_structure__name"
    )
    needs = tables.Column(verbose_name=_("Besoins"), accessor="pk", orderable=False)
    status = tables.Column(verbose_name=_("Statut"))
    age = tables.Column(verbose_name=_("Attente"), accessor="created_at", order_by=("-created_at",))
    created_at = tables.DateColumn(verbose_name=_("Reçue le"), format="d/m/Y")

    class Meta:
        model = Referral
        fields = ["reference", "status", "created_at"]
        sequence = [
            "reference",
            "person",
            "partner_structure",
            "needs",
            "status",
            "age",
            "created_at",
        ]
        # A queue: the oldest referral waits first.
        order_by = ("created_at",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = timezone.now()

    def render_person(self, record: Referral) -> str:
        return record.full_name

    def render_needs(self, record: Referral) -> str:
        return ", ".join(needs_labels(record))

    def render_status(self, record: Referral) -> SafeString:
        return status_badge(record)

    def render_age(self, record: Referral) -> SafeString:
        days = age_in_days(record.created_at, self.now)
        text = (
            _("aujourd'hui")
            if days == 0
            else ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
        )
        if record.status in PENDING_STATUSES and days >= settings.REFERRAL_REMINDER_DAYS:
            return format_html(
                '<strong class="badge badge-late">{}</strong> <span class="muted">{}</span>',
                text,
                _("en attente depuis trop longtemps"),
            )
        return format_html("{}", text)
