from django.urls import path

from . import views

urlpatterns = [
    path("ventes/<int:pk>/", views.sale_detail, name="sale_detail"),
    path("ventes/<int:pk>/annuler/", views.sale_void, name="sale_void"),
    path("ventes/<int:pk>/rembourser/", views.sale_refund, name="sale_refund"),
    path("ventes/<int:pk>/echanger/", views.sale_exchange, name="sale_exchange"),
    path("ventes/<int:pk>/lignes/<int:line>/remplacer/", views.line_swap, name="line_swap"),
]
