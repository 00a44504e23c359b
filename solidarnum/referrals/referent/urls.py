"""The référent's pages (bons d'orientation and follow-up) and the public privacy notice."""

from django.urls import path

from . import views as referent_views

urlpatterns = [
    path("orientations/nouveau/", referent_views.referral_create, name="referral_create"),
    path(
        "orientations/suivi/", referent_views.referent_referral_list, name="referent_referral_list"
    ),
    path(
        "orientations/suivi/<str:reference>/",
        referent_views.referent_referral_detail,
        name="referent_referral_detail",
    ),
    path(
        "orientations/suivi/<str:reference>/bon.pdf",
        referent_views.referral_voucher_pdf,
        name="referral_voucher_pdf",
    ),
    path("orientations/preferences/", referent_views.referent_settings, name="referent_settings"),
    path("confidentialite/", referent_views.privacy_notice, name="privacy_notice"),
]
