"""Logistics URLs (under /equipement/): transfers and stock counts."""

from django.urls import path

from . import views

urlpatterns = [
    path("transferts/", views.transfer_list, name="transfer_list"),
    path("transferts/nouveau/", views.transfer_create, name="transfer_create"),
    path("transferts/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transferts/<int:pk>/reception/", views.transfer_receive, name="transfer_receive"),
    path(
        "transferts/<int:pk>/appareils/<int:device_pk>/recu/",
        views.transfer_receive_late,
        name="transfer_receive_late",
    ),
    path("inventaires/", views.stock_count_list, name="stock_count_list"),
    path("inventaires/nouveau/", views.stock_count_start, name="stock_count_start"),
    path("inventaires/<int:pk>/", views.stock_count_detail, name="stock_count_detail"),
    path("inventaires/<int:pk>/scan/", views.stock_count_scan, name="stock_count_scan"),
    path("inventaires/<int:pk>/terminer/", views.stock_count_close, name="stock_count_close"),
]
