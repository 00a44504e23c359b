from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("role/", views.switch_membership, name="switch_membership"),
    path("mon-compte/", views.account, name="account_security"),
    path("mon-organisation/", views.my_organisation, name="my_organisation"),
    path("equipe/", views.team, name="team"),
    path("utilisateurs/", views.UserList.as_view(), name="user_list"),
    path("invitations/nouvelle/", views.invite, name="invite"),
    path("invitations/<int:pk>/annuler/", views.revoke_invitation, name="revoke_invitation"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path(
        "rattachements/<int:pk>/desactiver/",
        views.deactivate_membership,
        name="deactivate_membership",
    ),
    path("rattachements/<int:pk>/debloquer/", views.unlock_account, name="unlock_account"),
    path(
        "rattachements/<int:pk>/competence-reconditionnement/",
        views.set_device_skill,
        name="set_device_skill",
    ),
]
