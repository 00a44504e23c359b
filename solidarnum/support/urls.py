"""Support's URLs, under /accompagner/. Each sub-area keeps its own URL module."""

from django.urls import include, path

app_name = "support"

urlpatterns = [
    path("", include("solidarnum.support.agenda.urls")),
    path("", include("solidarnum.support.permanences.urls")),
    path("", include("solidarnum.support.records.urls")),
    path("", include("solidarnum.support.workshops.urls")),
    path("", include("solidarnum.support.courses.urls")),
    path("", include("solidarnum.support.satisfaction.urls")),
    path("", include("solidarnum.support.public.urls")),
]
