"""The référent's pages (bons d'orientation and follow-up) and the public privacy notice."""

from django.urls import path

from . import views

urlpatterns = [
    path("orientations/nouveau/", views.referral_create, name="referral_create"),
    path("orientations/suivi/", views.referent_referral_list, name="referent_referral_list"),
    path(
        "orientations/suivi/<str:reference>/",
        views.referent_referral_detail,
        name="referent_referral_detail",
    ),
    path(
        "orientations/suivi/<str:reference>/bon.pdf",
        views.referral_voucher_pdf,
        name="referral_voucher_pdf",
    ),
    path("orientations/preferences/", views.referent_settings, name="referent_settings"),
    path("confidentialite/", views.privacy_notice, name="privacy_notice"),
]
