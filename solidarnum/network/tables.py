import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import DonorCompany, PartnerStructure, ReceptionPoint, RefurbishingPartner


class ReceptionPointTable(tables.Table):
    name = tables.Column(linkify=("network:reception_point_detail", {"pk": tables.A("pk")}))
    is_active = tables.BooleanColumn(yesno=(_("oui"), _("non")))

    class Meta:
        model = ReceptionPoint
        fields = ["name", "commune", "postcode", "phone", "is_active"]
        order_by = "name"


class PartnerStructureTable(tables.Table):
    name = tables.Column(linkify=("network:partner_detail", {"pk": tables.A("pk")}))
    is_relay = tables.BooleanColumn(yesno=(_("oui"), _("non")))
    is_active = tables.BooleanColumn(yesno=(_("oui"), _("non")))

    class Meta:
        model = PartnerStructure
        fields = ["name", "typology", "commune", "reception_point", "is_relay", "is_active"]
        order_by = "name"


class DonorCompanyTable(tables.Table):
    name = tables.Column(linkify=("network:donor_detail", {"pk": tables.A("pk")}))
    is_active = tables.BooleanColumn(yesno=(_("oui"), _("non")))

    class Meta:
        model = DonorCompany
        fields = ["name", "siret", "commune", "contact_name", "is_active"]
        order_by = "name"


class RefurbishingPartnerTable(tables.Table):
    name = tables.Column(linkify=("network:refurbisher_detail", {"pk": tables.A("pk")}))
    is_active = tables.BooleanColumn(yesno=(_("oui"), _("non")))

    class Meta:
        model = RefurbishingPartner
        fields = ["name", "siret", "commune", "contact_name", "is_active"]
        order_by = "name"
