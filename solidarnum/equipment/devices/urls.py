"""Stock and device pages, under /equipement/."""

from django.urls import path

from . import views as device_views

urlpatterns = [
    path("", device_views.stock_overview, name="stock_overview"),
    path("appareils/", device_views.device_list, name="device_list"),
    path("appareils/<int:pk>/", device_views.device_detail, name="device_detail"),
    path("appareils/<int:pk>/statut/", device_views.device_status, name="device_status"),
    path(
        "appareils/<int:pk>/effacement/",
        device_views.device_erasure_add,
        name="device_erasure_add",
    ),
    path(
        "effacements/<int:pk>/certificat/",
        device_views.erasure_certificate,
        name="erasure_certificate",
    ),
]
