from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [path("audit/", views.AuditEventList.as_view(), name="audit_list")]
