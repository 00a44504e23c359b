from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("api/jetons/", views.api_tokens, name="api_tokens"),
    path("api/jetons/<int:pk>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
    path("api/v1/referrals/", views.ReferralListCreate.as_view(), name="api_referral_list"),
    path(
        "api/v1/referrals/<str:reference>/",
        views.ReferralDetail.as_view(),
        name="api_referral_detail",
    ),
    path("api/schema/", views.Schema.as_view(), name="api_schema"),
    path("api/docs/", views.Docs.as_view(), name="api_docs"),
]
