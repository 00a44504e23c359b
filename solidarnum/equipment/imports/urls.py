"""Batches of devices sent by refurbishing workshops, under /equipement/lots/."""

from django.urls import path

from . import views as import_views

urlpatterns = [
    path("", import_views.batch_list, name="batch_list"),
    path("importer/", import_views.batch_import, name="batch_import"),
    path("dons/", import_views.donation_suggestions, name="donation_suggestions"),
    path("imports/<int:pk>/", import_views.batch_import_job, name="batch_import_job"),
    path(
        "imports/<int:pk>/confirmer/",
        import_views.batch_import_job_confirm,
        name="batch_import_job_confirm",
    ),
    path("modele.csv", import_views.batch_import_template, name="batch_import_template"),
    path("<int:pk>/", import_views.batch_detail, name="batch_detail"),
    path("<int:pk>/avancer/", import_views.batch_advance, name="batch_advance"),
    path("<int:pk>/certificat/", import_views.batch_certificate, name="batch_certificate"),
]
