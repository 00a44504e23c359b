from django.urls import path

from . import views

urlpatterns = [
    path("mon-profil/", views.my_profile, name="my_profile"),
    path("mon-profil/modifier/", views.my_profile_edit, name="my_profile_edit"),
    path("mon-profil/statut/", views.my_status, name="my_status"),
    path("mes-disponibilites/", views.my_availability, name="my_availability"),
    path("mes-disponibilites/creneau/", views.slot_add, name="slot_add"),
    path("mes-disponibilites/creneau/<int:pk>/retirer/", views.slot_delete, name="slot_delete"),
    path("mes-disponibilites/absence/", views.absence_add, name="absence_add"),
    path(
        "mes-disponibilites/absence/<int:pk>/retirer/",
        views.absence_delete,
        name="absence_delete",
    ),
    path("equipe/", views.volunteer_list, name="volunteer_list"),
    path("equipe/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("semaine/", views.week, name="week"),
]
