from django.urls import path

from . import views

urlpatterns = [
    path("stock/", views.stock_overview, name="stock_overview"),
    path("stock/<int:pk>/", views.stock_place, name="stock_place"),
    path("stock/<int:pk>/seuils/", views.stock_alert_set, name="stock_alert_set"),
    path("codes/", views.code_list, name="code_list"),
    path("codes/<int:pk>/", views.code_detail, name="code_detail"),
    path("codes/<int:pk>/reveler/", views.code_reveal, name="code_reveal"),
    path("codes/<int:pk>/defectueux/", views.code_defective, name="code_defective"),
]
