"""Public URLs of the network: the directory of places and the open-data export (no login)."""

from django.urls import path

from . import views as public_views

urlpatterns = [
    path("lieux/", public_views.directory, name="public_directory"),
    path(
        "opendata/lieux-de-mediation-numerique.csv",
        public_views.opendata_places_csv,
        name="opendata_places_csv",
    ),
]
