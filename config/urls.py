from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("solidarnum.accounts.urls")),
    path("", include("solidarnum.network.urls")),
    path("", include("solidarnum.privacy.urls")),
    path("", include("solidarnum.referrals.urls")),
    path("", include("solidarnum.beneficiaries.urls")),
    path("equipement/", include("solidarnum.equipment.urls")),
    path("connexion/", include("solidarnum.connectivity.urls")),
    path("caisse/", include("solidarnum.sales.urls")),
    path("accompagner/", include("solidarnum.support.urls")),
    path("benevoles/", include("solidarnum.volunteers.urls")),
    path("", include("solidarnum.api.urls")),
    path("", include("solidarnum.notifications.urls")),
    path("", include("solidarnum.common.urls")),
    path("compte/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "solidarnum.common.views.permission_denied"
handler404 = "solidarnum.common.views.page_not_found"
handler500 = "solidarnum.common.views.server_error"
