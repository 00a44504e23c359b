from django.urls import path

from . import views

urlpatterns = [
    path("formations/", views.training_list, name="training_list"),
    path("formations/nouvelle/", views.training_create, name="training_create"),
    path("formations/bilan/", views.training_report, name="training_report"),
    path("formations/<int:pk>/", views.training_detail, name="training_detail"),
    path("formations/<int:pk>/inscrire/", views.training_register, name="training_register"),
    path("formations/<int:pk>/presences/", views.training_attendance, name="training_attendance"),
    path(
        "formations/<int:pk>/attestation/<int:registration>.pdf",
        views.training_attestation,
        name="training_attestation",
    ),
]
