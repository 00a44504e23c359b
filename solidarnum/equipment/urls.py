"""Equipment URLs, under /equipement/. Each area keeps its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("solidarnum.equipment.urls_devices")),
    path("", include("solidarnum.equipment.urls_workbench")),
    path("", include("solidarnum.equipment.urls_donations")),
    path("lots/", include("solidarnum.equipment.urls_import")),
    path("", include("solidarnum.equipment.urls_logistics")),
]
