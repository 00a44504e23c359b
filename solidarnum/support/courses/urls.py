from django.urls import path

from . import views

urlpatterns = [
    path("parcours/", views.cohort_list, name="cohort_list"),
    path("parcours/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("parcours/<int:pk>/inscrire/", views.cohort_enrol, name="cohort_enrol"),
    path("parcours/seances/<int:pk>/", views.cohort_session, name="cohort_session"),
    path(
        "parcours/inscriptions/<int:pk>/attestation.pdf",
        views.enrolment_attestation,
        name="enrolment_attestation",
    ),
]
