from django.urls import path

from . import views

urlpatterns = [
    path("numerotation-des-tickets/", views.receipt_prefix, name="receipt_prefix"),
    path("tickets/<str:number>/", views.receipt, name="receipt"),
    path("tickets/<str:number>/codes/", views.receipt_secrets, name="receipt_secrets"),
    path("tickets/<str:number>/sms/", views.receipt_sms, name="receipt_sms"),
    path("tickets/<str:number>/<str:size>.pdf", views.receipt_pdf, name="receipt_pdf"),
]
