from datetime import date
from typing import Any

import django_tables2 as tables
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidarnum.common.lists import ListTable

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


class BeneficiaryTable(ListTable):
    """Rows come from `selectors.beneficiary_rows`; `access_ends_on` is kept on the file."""

    row_template = "beneficiaries/_beneficiary_rows.html"
    region_label = _("Bénéficiaires")
    name = tables.Column(verbose_name=_("Nom"), order_by=("last_name", "first_name"))
    birth_year = tables.Column(verbose_name=_("Année de naissance"))
    profile = tables.Column(verbose_name=_("Profil"))
    needs = tables.Column(verbose_name=_("Besoins"), orderable=False)
    access = tables.Column(verbose_name=_("Accès"), order_by="access_ends_on")

    class Meta:
        model = Beneficiary
        fields = ["name", "birth_year", "profile", "needs", "access"]
        order_by = "name"

    def prepare(self, records: list[Beneficiary]) -> None:
        today = timezone.localdate()
        for record in records:
            record.needs_html = needs_badges(record)  # type: ignore[attr-defined]
            record.access_text = access_text(record, today)  # type: ignore[attr-defined]


def access_text(record: Beneficiary, today: date) -> str:
    if record.exited_on:
        return str(_("sortie le %(day)s") % {"day": formats.date_format(record.exited_on, "d/m/Y")})
    return days_left_label(record.access_ends_on, today)
