"""The till's URLs, under /caisse/. Each sub-area keeps its own URL module."""

from django.urls import include, path

app_name = "sales"

urlpatterns = [
    path("", include("solidarnum.sales.sessions.urls")),
    path("", include("solidarnum.sales.till.urls")),
    path("", include("solidarnum.sales.receipts.urls")),
    path("", include("solidarnum.sales.refunds.urls")),
    path("", include("solidarnum.sales.reports.urls")),
]
