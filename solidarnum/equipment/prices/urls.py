"""The solidarity price grid, under /equipement/."""

from django.urls import path

from . import views

urlpatterns = [
    path("tarifs/", views.price_list, name="price_list"),
    path("tarifs/nouveau/", views.price_create, name="price_create"),
    path("tarifs/<int:pk>/supprimer/", views.price_delete, name="price_delete"),
]
