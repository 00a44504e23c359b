from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("messages/", views.message_list, name="message_list"),
    path("messages/<int:pk>/", views.message_detail, name="message_detail"),
    path("messages/modeles/", views.template_preview, name="template_preview"),
    path("messages/modeles/<str:key>/", views.template_detail, name="template_detail"),
    path("beneficiaires/<uuid:public_id>/telephone/", views.phone_correct, name="phone_correct"),
    path(
        "notifications/webhooks/<slug:provider>/rapports/",
        views.webhook_report,
        name="webhook_report",
    ),
    path(
        "notifications/webhooks/email/<slug:provider>/suivi/",
        views.webhook_email,
        name="webhook_email",
    ),
    path(
        "notifications/webhooks/<slug:provider>/reponses/",
        views.webhook_inbound,
        name="webhook_inbound",
    ),
]
