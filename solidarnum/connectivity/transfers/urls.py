from django.urls import path

from . import views

urlpatterns = [
    path("transferts/", views.transfer_list, name="transfer_list"),
    path("transferts/nouveau/", views.transfer_create, name="transfer_create"),
    path("transferts/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transferts/<int:pk>/recevoir/", views.transfer_receive, name="transfer_receive"),
]
