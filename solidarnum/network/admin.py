from django.contrib import admin

from solidarnum.privacy.admin import AuditedModelAdmin

from .models import DonorCompany, PartnerStructure, ReceptionPoint, RefurbishingPartner


@admin.register(ReceptionPoint)
class ReceptionPointAdmin(AuditedModelAdmin):
    list_display = ["name", "commune", "is_active"]
    search_fields = ["name", "commune"]


@admin.register(PartnerStructure)
class PartnerStructureAdmin(AuditedModelAdmin):
    list_display = ["name", "typology", "commune", "is_relay", "is_active"]
    list_filter = ["typology", "is_relay", "is_active"]
    search_fields = ["name", "commune", "siret"]
    list_select_related = ["reception_point"]


@admin.register(DonorCompany, RefurbishingPartner)
class CompanyAdmin(AuditedModelAdmin):
    list_display = ["name", "siret", "commune", "is_active"]
    search_fields = ["name", "siret"]
