from django.urls import path

from . import views

app_name = "beneficiaries"

urlpatterns = [
    path("beneficiaires/", views.BeneficiaryList.as_view(), name="beneficiary_list"),
    path(
        "beneficiaires/<uuid:public_id>/",
        views.beneficiary_detail,
        name="beneficiary_detail",
    ),
    path(
        "beneficiaires/<uuid:public_id>/notes/",
        views.beneficiary_note_add,
        name="beneficiary_note_add",
    ),
    path(
        "beneficiaires/<uuid:public_id>/diagnostic/",
        views.beneficiary_diagnostic,
        name="beneficiary_diagnostic",
    ),
    path(
        "beneficiaires/<uuid:public_id>/fusionner/",
        views.beneficiary_merge,
        name="beneficiary_merge",
    ),
    path(
        "beneficiaires/<uuid:public_id>/sortie/",
        views.beneficiary_exit,
        name="beneficiary_exit",
    ),
    path(
        "beneficiaires/<uuid:public_id>/consultations/",
        views.beneficiary_readers,
        name="beneficiary_readers",
    ),
]
