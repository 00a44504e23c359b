from django.urls import path

from . import views

urlpatterns = [
    path("livraisons/", views.delivery_list, name="delivery_list"),
    path("livraisons/recevoir/", views.delivery_import, name="delivery_import"),
    path("livraisons/modele.csv", views.delivery_template, name="delivery_template"),
    path("livraisons/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("livraisons/receptions/<int:pk>/", views.delivery_job, name="delivery_job"),
    path(
        "livraisons/receptions/<int:pk>/confirmer/",
        views.delivery_job_confirm,
        name="delivery_job_confirm",
    ),
]
