"""Equipment URLs, under /equipement/. Each sub-area keeps its own URL module."""

from django.urls import include, path

app_name = "equipment"

urlpatterns = [
    path("", include("solidarnum.equipment.devices.urls")),
    path("", include("solidarnum.equipment.checks.urls")),
    path("", include("solidarnum.equipment.reservations.urls")),
    path("", include("solidarnum.equipment.donations.urls")),
    path("", include("solidarnum.equipment.prices.urls")),
    path("lots/", include("solidarnum.equipment.imports.urls")),
    path("", include("solidarnum.equipment.logistics.urls")),
]
