from django.urls import path

from . import views

urlpatterns = [
    path("ateliers/", views.workshop_list, name="workshop_list"),
    path("ateliers/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("ateliers/<int:pk>/inscrire/", views.workshop_register, name="workshop_register"),
    path("ateliers/<int:pk>/annuler/", views.workshop_cancel, name="workshop_cancel"),
    path("ateliers/<int:pk>/presences/", views.workshop_attendance, name="workshop_attendance"),
    path("ateliers/<int:pk>/compte-rendu/", views.workshop_record, name="workshop_record"),
    path(
        "ateliers/inscriptions/<int:pk>/annuler/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]
