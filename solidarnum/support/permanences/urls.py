from django.urls import path

from . import views

urlpatterns = [
    path("creneaux/", views.slot_list, name="slot_list"),
    path("creneaux/<int:pk>/exception/", views.slot_exception, name="slot_exception"),
    path("creneaux/<int:pk>/<str:moment>/reserver/", views.slot_book, name="slot_book"),
    path("reglages/referents/", views.referent_booking_setting, name="referent_booking_setting"),
    path("personnes/suggestions/", views.person_suggestions, name="person_suggestions"),
    path("personnes/<uuid:public_id>/reserver/", views.person_book, name="person_book"),
    path("personnes/<uuid:public_id>/attente/", views.person_wait, name="person_wait"),
    path("permanences/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("permanences/<int:pk>/presence/", views.appointment_status, name="appointment_status"),
    path("permanences/<int:pk>/deplacer/", views.appointment_move, name="appointment_move"),
    path("permanences/<int:pk>/annuler/", views.appointment_cancel, name="appointment_cancel"),
    path(
        "permanences/<int:pk>/renvoyer-lien/", views.appointment_resend, name="appointment_resend"
    ),
    path("permanences/<int:pk>/rendez-vous.ics", views.appointment_ics, name="appointment_ics"),
    path("attente/", views.waiting_list, name="waiting_list"),
    path("attente/<int:pk>/retirer/", views.waiting_remove, name="waiting_remove"),
    path("orientees/", views.referent_bookings, name="referent_bookings"),
]
