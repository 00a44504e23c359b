from django.urls import include, path

from . import views

app_name = "network"

urlpatterns = [
    path("", include("solidarnum.network.public.urls")),
    # Suggestions of the autocomplete fields (at most 20 matches, a fragment).
    path(
        "reseau/suggestions/points-accueil/",
        views.reception_point_suggestions,
        name="reception_point_suggestions",
    ),
    path("reseau/suggestions/structures/", views.partner_suggestions, name="partner_suggestions"),
    path("reseau/suggestions/donateurs/", views.donor_suggestions, name="donor_suggestions"),
    path("reseau/points-accueil/", views.ReceptionPointList.as_view(), name="reception_point_list"),
    path(
        "reseau/points-accueil/nouveau/",
        views.reception_point_create,
        name="reception_point_create",
    ),
    path(
        "reseau/points-accueil/<int:pk>/",
        views.reception_point_detail,
        name="reception_point_detail",
    ),
    path(
        "reseau/points-accueil/<int:pk>/modifier/",
        views.reception_point_update,
        name="reception_point_update",
    ),
    path("reseau/structures/", views.PartnerStructureList.as_view(), name="partner_list"),
    path("reseau/structures/nouvelle/", views.partner_create, name="partner_create"),
    path("reseau/structures/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("reseau/structures/<int:pk>/modifier/", views.partner_update, name="partner_update"),
    path("reseau/donateurs/", views.DonorCompanyList.as_view(), name="donor_list"),
    path("reseau/donateurs/nouveau/", views.donor_create, name="donor_create"),
    path("reseau/donateurs/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("reseau/donateurs/<int:pk>/modifier/", views.donor_update, name="donor_update"),
    path(
        "reseau/reconditionneurs/", views.RefurbishingPartnerList.as_view(), name="refurbisher_list"
    ),
    path("reseau/reconditionneurs/nouveau/", views.refurbisher_create, name="refurbisher_create"),
    path("reseau/reconditionneurs/<int:pk>/", views.refurbisher_detail, name="refurbisher_detail"),
    path(
        "reseau/reconditionneurs/<int:pk>/modifier/",
        views.refurbisher_update,
        name="refurbisher_update",
    ),
]
