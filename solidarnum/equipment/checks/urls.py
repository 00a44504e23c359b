"""The volunteer check, under /equipement/."""

from django.urls import path

from . import views

urlpatterns = [
    path("controle/", views.device_check_lookup, name="device_check_lookup"),
    path("appareils/<int:pk>/controle/", views.device_check, name="device_check"),
]
