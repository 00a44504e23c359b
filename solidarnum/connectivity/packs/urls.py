from django.urls import path

from . import views

urlpatterns = [
    path("packs/", views.pack_list, name="pack_list"),
    path("packs/remettre/", views.pack_create, name="pack_create"),
    path("packs/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("packs/<int:pk>/bordereau.pdf", views.pack_slip, name="pack_slip"),
]
