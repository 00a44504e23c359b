from django.urls import path

from . import views

urlpatterns = [
    path("devenir-benevole/", views.apply_sites, name="apply_sites"),
    path("devenir-benevole/<int:site>/", views.apply, name="apply"),
    path("candidatures/", views.candidate_list, name="candidate_list"),
    path("candidatures/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidatures/<int:pk>/inviter/", views.candidate_invite, name="candidate_invite"),
]
