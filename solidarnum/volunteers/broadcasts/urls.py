from django.urls import path

from . import views

urlpatterns = [
    path("messages-aux-benevoles/", views.broadcast_list, name="broadcast_list"),
    path("messages-aux-benevoles/<int:pk>/", views.broadcast_detail, name="broadcast_detail"),
    path("mes-messages/", views.my_messages, name="my_messages"),
    path("mes-messages/<int:pk>/je-viens/", views.broadcast_answer, name="broadcast_answer"),
]
