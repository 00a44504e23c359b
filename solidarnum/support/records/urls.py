from django.urls import path

from . import views

urlpatterns = [
    path("permanences/<int:pk>/compte-rendu/", views.appointment_record, name="appointment_record"),
    path("comptes-rendus/", views.record_list, name="record_list"),
    path("suggestions/lieux/", views.place_suggestions, name="place_suggestions"),
    path("suggestions/structures/", views.structure_suggestions, name="structure_suggestions"),
]
