from django.urls import path

from . import views

urlpatterns = [
    path("offres/", views.offer_list, name="offer_list"),
    path("offres/nouvelle/", views.offer_create, name="offer_create"),
    path("offres/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offres/<int:pk>/modifier/", views.offer_update, name="offer_update"),
    path("offres/<int:pk>/prix/", views.offer_price_create, name="offer_price_create"),
    path("offres/<int:pk>/retrait/", views.offer_withdraw, name="offer_withdraw"),
]
