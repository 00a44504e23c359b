from django.urls import path

from . import views

urlpatterns = [
    path("", views.till_home, name="till_home"),
    path("caisses/ajouter/", views.till_create, name="till_create"),
    path("droits/<int:membership>/", views.till_right_toggle, name="till_right_toggle"),
    path("caisses/<int:till>/ouvrir/", views.session_open, name="session_open"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/cloturer/", views.session_close, name="session_close"),
    path("sessions/<int:pk>/z.pdf", views.session_pdf, name="session_pdf"),
]
