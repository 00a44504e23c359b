"""URLs of the common app: the health probe."""

from django.urls import path

from . import views

app_name = "common"

urlpatterns = [path("healthz", views.healthz, name="healthz")]
