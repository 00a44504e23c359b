from django.urls import path

from . import views

urlpatterns = [path("pouvoir-d-achat/", views.purchasing_power, name="purchasing_power")]
