"""Referral URLs: the référent's pages and the reception point's inbox."""

from django.urls import include, path

app_name = "referrals"

urlpatterns = [
    path("", include("solidarnum.referrals.referent.urls")),
    path("", include("solidarnum.referrals.inbox.urls")),
]
