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
    # The catalogue (ADR 0042).
    path("parcours/modeles/", views.course_template_list, name="course_template_list"),
    path("parcours/modeles/nouveau/", views.course_template_create, name="course_template_create"),
    path("parcours/modeles/<int:pk>/", views.course_template_detail, name="course_template_detail"),
    path(
        "parcours/modeles/<int:pk>/modifier/",
        views.course_template_update,
        name="course_template_update",
    ),
    path(
        "parcours/modeles/<int:pk>/modules/nouveau/",
        views.course_module_create,
        name="course_module_create",
    ),
    path(
        "parcours/modeles/modules/<int:pk>/modifier/",
        views.course_module_update,
        name="course_module_update",
    ),
    path(
        "parcours/modeles/modules/<int:pk>/deplacer/",
        views.course_module_move,
        name="course_module_move",
    ),
    path(
        "parcours/modeles/modules/<int:pk>/retirer/",
        views.course_module_remove,
        name="course_module_remove",
    ),
    path(
        "parcours/modeles/modules/<int:pk>/seances/nouvelle/",
        views.template_session_create,
        name="template_session_create",
    ),
    path(
        "parcours/modeles/seances/<int:pk>/modifier/",
        views.template_session_update,
        name="template_session_update",
    ),
    path(
        "parcours/modeles/seances/<int:pk>/retirer/",
        views.template_session_remove,
        name="template_session_remove",
    ),
]
