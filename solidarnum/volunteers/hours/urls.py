from django.urls import path

from . import views

urlpatterns = [
    path("mes-heures/", views.my_hours, name="my_hours"),
    path("heures/a-valider/", views.hours_review, name="hours_review"),
    path("heures/<int:pk>/decision/", views.hours_decide, name="hours_decide"),
    path("heures/", views.hours_summary, name="hours_summary"),
    path("heures/valorisation.csv", views.valuation_csv, name="valuation_csv"),
    path("heures/valorisation.pdf", views.valuation_pdf, name="valuation_pdf"),
]
