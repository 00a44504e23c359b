"""The network's lists (ADR 0024: headers and sorting here, rows in `network/_<list>_rows.html`)."""

from django.utils.translation import gettext_lazy as _

from solidarnum.common.lists import ListTable

from .models import DonorCompany, PartnerStructure, ReceptionPoint, RefurbishingPartner


class ReceptionPointTable(ListTable):
    row_template = "network/_reception_point_rows.html"
    region_label = _("Points d'accueil")

    class Meta:
        model = ReceptionPoint
        fields = ["name", "commune", "postcode", "phone", "is_active"]
        order_by = "name"


class PartnerStructureTable(ListTable):
    row_template = "network/_partner_rows.html"
    region_label = _("Structures partenaires")

    class Meta:
        model = PartnerStructure
        fields = ["name", "typology", "commune", "reception_point", "is_relay", "is_active"]
        order_by = "name"


class DonorCompanyTable(ListTable):
    row_template = "network/_company_rows.html"
    region_label = _("Entreprises donatrices")
    detail_url = "network:donor_detail"

    class Meta:
        model = DonorCompany
        fields = ["name", "siret", "commune", "contact_name", "is_active"]
        order_by = "name"


class RefurbishingPartnerTable(ListTable):
    row_template = "network/_company_rows.html"
    region_label = _("Reconditionneurs partenaires")
    detail_url = "network:refurbisher_detail"

    class Meta:
        model = RefurbishingPartner
        fields = ["name", "siret", "commune", "contact_name", "is_active"]
        order_by = "name"
