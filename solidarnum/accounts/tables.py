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
    # `locked_until` and `can_unlock` are set on the page's rows by the view (one query).
    login_lock = tables.TemplateColumn(
        template_code=(
            "{% if record.locked_until %}{% include 'accounts/_login_lock.html' with "
            "membership=record locked_until=record.locked_until can_unlock=record.can_unlock %}"
            "{% endif %}"
        ),
        verbose_name=_("Connexion"),
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = Membership
        fields = ["user", "email", "role", "organisation", "is_active", "login_lock"]
        order_by = "user"
