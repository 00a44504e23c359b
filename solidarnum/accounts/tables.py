"""The national list of memberships (ADR 0024: rows in `accounts/_membership_rows.html`)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from solidarnum.common.lists import ListTable

from .models import Membership


class MembershipTable(ListTable):
    row_template = "accounts/_membership_rows.html"
    region_label = _("Utilisateurs")
    user = tables.Column(verbose_name=_("Personne"), order_by=("user__last_name",))
    email = tables.Column(accessor="user__email", verbose_name=_("E-mail"))
    role = tables.Column(verbose_name=_("Rôle"))
    organisation = tables.Column(verbose_name=_("Organisation"), orderable=False)
    is_active = tables.Column(verbose_name=_("Actif"))
    # `locked_until` and `can_unlock` are set on the page's rows by the view (one query).
    login_lock = tables.Column(verbose_name=_("Connexion"), orderable=False)

    class Meta:
        model = Membership
        fields = ["user", "email", "role", "organisation", "is_active", "login_lock"]
        order_by = "user"
