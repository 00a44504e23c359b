from django.urls import path

from . import views

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("mes-seances/", views.my_sessions, name="my_sessions"),
]
