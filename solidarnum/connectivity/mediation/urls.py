from django.urls import path

from . import views

urlpatterns = [
    path(
        "personnes/<uuid:public_id>/conseil-forfait/",
        views.plan_advice_create,
        name="plan_advice_create",
    ),
    path("personnes/<uuid:public_id>/mediation/", views.mediation_create, name="mediation_create"),
    path("mediations/", views.mediation_list, name="mediation_list"),
    path("mediations/<int:pk>/", views.mediation_detail, name="mediation_detail"),
    path("mediations/<int:pk>/etape/", views.mediation_step, name="mediation_step"),
    path("mediations/<int:pk>/cloture/", views.mediation_close, name="mediation_close"),
]
