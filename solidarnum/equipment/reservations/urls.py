"""Reservations for a person, under /equipement/."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "appareils/<int:pk>/reserver/",
        views.device_reserve_for_person,
        name="device_reserve_for_person",
    ),
    path(
        "appareils/<int:pk>/annuler-reservation/",
        views.device_reservation_cancel,
        name="device_reservation_cancel",
    ),
    path("reserver/<uuid:public_id>/", views.device_reserve, name="device_reserve"),
]
