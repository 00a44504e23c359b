"""Connectivity URLs, under /connexion/. Each sub-area keeps its own URL module."""

from django.urls import include, path

app_name = "connectivity"

urlpatterns = [
    path("", include("solidarnum.connectivity.offers.urls")),
    path("", include("solidarnum.connectivity.codes.urls")),
    path("", include("solidarnum.connectivity.deliveries.urls")),
    path("", include("solidarnum.connectivity.relays.urls")),
    path("", include("solidarnum.connectivity.transfers.urls")),
    path("", include("solidarnum.connectivity.mediation.urls")),
    path("", include("solidarnum.connectivity.statements.urls")),
    path("", include("solidarnum.connectivity.packs.urls")),
]
