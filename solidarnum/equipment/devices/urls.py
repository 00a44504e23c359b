"""Stock and device pages, under /equipement/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.stock_overview, name="stock_overview"),
    path("appareils/", views.device_list, name="device_list"),
    path("appareils/<int:pk>/", views.device_detail, name="device_detail"),
    path("appareils/<int:pk>/statut/", views.device_status, name="device_status"),
    path(
        "appareils/<int:pk>/effacement/",
        views.device_erasure_add,
        name="device_erasure_add",
    ),
    path(
        "effacements/<int:pk>/certificat/",
        views.erasure_certificate,
        name="erasure_certificate",
    ),
]
