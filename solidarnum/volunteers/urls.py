from django.urls import include, path

app_name = "volunteers"

urlpatterns = [
    path("", include("solidarnum.volunteers.profiles.urls")),
    path("", include("solidarnum.volunteers.hours.urls")),
    path("", include("solidarnum.volunteers.recruitment.urls")),
    path("", include("solidarnum.volunteers.trainings.urls")),
    path("", include("solidarnum.volunteers.broadcasts.urls")),
]
