from django.urls import path

from . import views

MONTH = "<int:pk>/releve/<int:year>/<int:month>/"

urlpatterns = [
    path("relais/", views.relay_list, name="relay_list"),
    path("relais/<int:pk>/", views.relay_detail, name="relay_detail"),
    path("relais/<int:pk>/confier/", views.relay_consign, name="relay_consign"),
    path("relais/<int:pk>/reprendre/", views.relay_return, name="relay_return"),
    path(f"relais/{MONTH}", views.relay_statement, name="relay_statement"),
    path(f"relais/{MONTH}pdf/", views.relay_statement_pdf, name="relay_statement_pdf"),
    path(
        f"relais/{MONTH}valider/", views.relay_statement_validate, name="relay_statement_validate"
    ),
    path(f"relais/{MONTH}paiement/", views.relay_statement_payment, name="relay_statement_payment"),
    path("mon-relais/", views.relay_home, name="relay_home"),
    path("mon-relais/vente/", views.relay_sale, name="relay_sale"),
    path("mon-relais/ventes/", views.relay_sales, name="relay_sales"),
]
