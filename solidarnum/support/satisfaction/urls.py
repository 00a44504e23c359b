from django.urls import path

from . import views

urlpatterns = [
    path("avis/<uuid:token>/", views.survey, name="survey"),
    path("avis/<str:kind>/<int:pk>/", views.survey_start, name="survey_start"),
    path("satisfaction/", views.satisfaction_rates, name="satisfaction_rates"),
]
