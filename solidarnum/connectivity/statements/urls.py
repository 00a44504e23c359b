from django.urls import path

from . import views

urlpatterns = [
    path("releve-operateur/", views.operator_statement_page, name="operator_statement"),
    path("releve-operateur/csv/", views.operator_statement_csv, name="operator_statement_csv"),
    path("releve-operateur/pdf/", views.operator_statement_pdf, name="operator_statement_pdf"),
]
