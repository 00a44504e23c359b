from django.urls import path

from . import views

urlpatterns = [path("audit/", views.AuditEventList.as_view(), name="audit_list")]
