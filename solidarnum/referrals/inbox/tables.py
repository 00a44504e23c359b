"""The table of the reception point's referral inbox."""

from datetime import datetime
from typing import Any

import django_tables2 as tables
from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidarnum.beneficiaries.labels import need_labels
from solidarnum.common.lists import ListTable
from solidarnum.referrals.enums import PENDING_STATUSES, ReferralStatus
from solidarnum.referrals.models import Referral


def age_in_days(created_at: datetime, now: datetime | None = None) -> int:
    """Whole days since the referral arrived (the reminder task counts the same way)."""
    return ((now or timezone.now()) - created_at).days


def decision_text(referral: Referral) -> str:
    """A decided referral in plain words: what was decided, when, how long after it was sent."""
    if referral.decided_at is None:
        return str(referral.get_status_display())
    decided_on = timezone.localdate(referral.decided_at)
    day = formats.date_format(decided_on, "d/m/Y")
    if referral.status == ReferralStatus.EXPIRED:
        return _("expirée le %(day)s, sans réponse") % {"day": day}
    days = (decided_on - timezone.localdate(referral.created_at)).days
    if referral.status == ReferralStatus.VALIDATED:
        if days == 0:
            return _("validée le %(day)s, le jour même") % {"day": day}
        return ngettext(
            "validée le %(day)s, %(n)d jour après l'envoi",
            "validée le %(day)s, %(n)d jours après l'envoi",
            days,
        ) % {"day": day, "n": days}
    if days == 0:
        return _("refusée le %(day)s, le jour même") % {"day": day}
    return ngettext(
        "refusée le %(day)s, %(n)d jour après l'envoi",
        "refusée le %(day)s, %(n)d jours après l'envoi",
        days,
    ) % {"day": day, "n": days}


def status_badge(referral: Referral) -> SafeString:
    css = "badge" if referral.status in PENDING_STATUSES else "badge badge-off"
    return format_html('<span class="{}">{}</span>', css, referral.get_status_display())


class ReferralInboxTable(ListTable):
    row_template = "referrals/inbox/_rows.html"
    region_label = _("Orientations reçues")

    reference = tables.Column(verbose_name=_("Code"))
    person = tables.Column(
        verbose_name=_("Personne"), accessor="last_name", order_by=("last_name", "first_name")
    )
    partner_structure = tables.Column(
        verbose_name=_("Structure orienteuse"), accessor="partner_structure__name"
    )
    needs = tables.Column(verbose_name=_("Besoins"), accessor="pk", orderable=False)
    status = tables.Column(verbose_name=_("Statut"))
    age = tables.Column(
        verbose_name=_("Attente ou décision"), accessor="created_at", order_by=("-created_at",)
    )
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

    def prepare(self, records: list[Referral]) -> None:
        for record in records:
            record.needs_text = ", ".join(need_labels(record))  # type: ignore[attr-defined]
            record.status_html = status_badge(record)  # type: ignore[attr-defined]
            record.age_html = self.age_cell(record)  # type: ignore[attr-defined]

    def age_cell(self, record: Referral) -> SafeString:
        # Waiting time only while waiting: a decided referral tells its decision instead.
        if record.status not in PENDING_STATUSES:
            return format_html('<span class="muted">{}</span>', decision_text(record))
        days = age_in_days(record.created_at, self.now)
        text = (
            _("reçue aujourd'hui")
            if days == 0
            else ngettext("en attente depuis %(n)d jour", "en attente depuis %(n)d jours", days)
            % {"n": days}
        )
        if days >= settings.REFERRAL_REMINDER_DAYS:
            return format_html(
                '<strong class="badge badge-late">{}</strong> <span class="muted">{}</span>',
                text,
                _("en attente depuis trop longtemps"),
            )
        return format_html("{}", text)
