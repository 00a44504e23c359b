from django.urls import path

from . import views

urlpatterns = [
    path("rdv/<uuid:token>/", views.appointment_page, name="appointment_public"),
    path("rdv/<uuid:token>.ics", views.appointment_public_ics, name="appointment_public_ics"),
]
