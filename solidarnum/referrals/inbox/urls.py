"""The reception point's referral inbox (staff and site managers)."""

from django.urls import path

from . import views as inbox_views

urlpatterns = [
    path("accueil/orientations/", inbox_views.referral_inbox, name="referral_inbox"),
    path(
        "accueil/structures-orienteuses/",
        inbox_views.inbox_structure_suggestions,
        name="inbox_structure_suggestions",
    ),
    path(
        "accueil/orientations/<str:reference>/",
        inbox_views.referral_detail,
        name="referral_detail",
    ),
    path(
        "accueil/orientations/<str:reference>/etude/",
        inbox_views.referral_start_review,
        name="referral_start_review",
    ),
    path(
        "accueil/orientations/<str:reference>/valider/",
        inbox_views.referral_validate,
        name="referral_validate",
    ),
    path(
        "accueil/orientations/<str:reference>/envoyer-le-bon/",
        inbox_views.referral_send_voucher,
        name="referral_send_voucher",
    ),
    path(
        "accueil/orientations/<str:reference>/refuser/",
        inbox_views.referral_refuse,
        name="referral_refuse",
    ),
]
