"""Donations, tax receipts and the donor report, under /equipement/."""

from django.urls import path

from . import views

urlpatterns = [
    path("dons/", views.donation_list, name="donation_list"),
    path("dons/nouveau/", views.donation_create, name="donation_create"),
    path("dons/<int:pk>/", views.donation_detail, name="donation_detail"),
    path("dons/<int:pk>/recu-fiscal/", views.donation_tax_receipt, name="donation_tax_receipt"),
    path("rapport-donateur/", views.donor_report, name="donor_report"),
    path("rapport-donateur/pdf/", views.donor_report_pdf, name="donor_report_pdf"),
]
