from datetime import date
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .labels import need_labels
from .models import Beneficiary


def days_left_label(ends_on: date | None, today: date | None = None) -> str:
    """ "N jours d'accès restants", or "accès terminé" (same rule as AccessPeriod.days_left)."""
    today = today or timezone.localdate()
    days = (ends_on - today).days if ends_on else 0
    if days <= 0:
        return str(_("accès terminé"))
    return ngettext("%(days)s jour d'accès restant", "%(days)s jours d'accès restants", days) % {
        "days": days
    }


def needs_badges(record: Any) -> SafeString:
    needs = need_labels(record)  # in the référent's order
    if not needs:
        return format_html("{}", "—")
    return format_html_join(" ", '<span class="badge">{}</span>', ((n,) for n in needs))


class BeneficiaryTable(tables.Table):
    """Rows come from `selectors.beneficiary_rows` (annotated with `access_ends_on`)."""

    name = tables.Column(
        verbose_name=_("Nom"),
        accessor="full_name",
        order_by=("last_name", "first_name"),
        linkify=lambda record: reverse("beneficiaries:beneficiary_detail", args=[record.public_id]),
    )
    birth_year = tables.Column(verbose_name=_("Année de naissance"))
    profile = tables.Column(verbose_name=_("Profil"), default="—")
    needs = tables.Column(verbose_name=_("Besoins"), empty_values=(), orderable=False)
    access = tables.Column(
        verbose_name=_("Accès"),
        accessor="access_ends_on",
        empty_values=(),
        order_by="access_ends_on",
    )

    class Meta:
        model = Beneficiary
        fields = ["name", "birth_year", "profile", "needs", "access"]
        order_by = "name"

    def render_profile(self, record: Beneficiary) -> str:
        return record.get_profile_display()

    def render_needs(self, record: Beneficiary) -> SafeString:
        return needs_badges(record)

    def render_access(self, record: Beneficiary, value: date | None) -> str:
        if record.exited_on:
            return str(
                _("sortie le %(day)s") % {"day": formats.date_format(record.exited_on, "d/m/Y")}
            )
        return days_left_label(value)
