import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Membership


class MembershipTable(tables.Table):
    user = tables.Column(verbose_name=_("Personne"), order_by=("user__last_name",))
    email = tables.Column(accessor="user__email", verbose_name=_("E-mail"))
    role = tables.Column(verbose_name=_("Rôle"))
    organisation = tables.Column(
        accessor="organisation_label", verbose_name=_("Organisation"), orderable=False
    )
    is_active = tables.BooleanColumn(verbose_name=_("Actif"), yesno=(_("oui"), _("non")))

    class Meta:
        model = Membership
        fields = ["user", "email", "role", "organisation", "is_active"]
        order_by = "user"
