from django.urls import path

from . import views

urlpatterns = [
    path("sessions/<int:pk>/vente/", views.sale_screen, name="sale_screen"),
    path("sessions/<int:pk>/panier/", views.basket_start, name="basket_start"),
    path("paniers/<uuid:key>/", views.basket, name="basket"),
    path("paniers/<uuid:key>/ajouter/", views.basket_add, name="basket_add"),
    path("paniers/<uuid:key>/retirer/<int:item>/", views.basket_remove, name="basket_remove"),
    path("paniers/<uuid:key>/abandonner/", views.basket_abandon, name="basket_abandon"),
    path("paniers/<uuid:key>/payer/", views.basket_pay, name="basket_pay"),
]
