"""The course catalogue in the admin: readable, never edited there. Its rules (a threshold fixed
once a cohort has started, retired parts instead of deletions, no active course without a
half-day) live in the catalogue's services, which the staff screens use (ADR 0042)."""

from django.urls import reverse

from solidarnum.support.models import CourseModule, CourseTemplate, TemplateSession
from tests.conftest import client_for
from tests.support.factories import make_template


def _superuser(world):
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return client_for(admin)


def test_the_admin_shows_the_catalogue_read_only(world):
    template = make_template()
    module = CourseModule.objects.get(template=template)
    client = _superuser(world)
    listing = client.get(reverse("admin:support_coursetemplate_changelist"))
    assert listing.status_code == 200
    page = client.get(reverse("admin:support_coursemodule_change", args=[module.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:support_coursetemplate_add")).status_code == 403


def test_a_change_posted_to_the_admin_is_refused_and_nothing_changes(world):
    template = make_template()
    module = CourseModule.objects.get(template=template)
    session = TemplateSession.objects.filter(module=module).first()
    client = _superuser(world)
    response = client.post(
        reverse("admin:support_coursetemplate_change", args=[template.pk]),
        {"name": "Autre nom", "attendance_threshold": 10},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:support_coursemodule_change", args=[module.pk]),
        {"template": template.pk, "order": 1, "title": "Autre titre"},
    )
    assert response.status_code == 403
    template.refresh_from_db()
    module.refresh_from_db()
    assert template.name != "Autre nom" and module.title != "Autre titre"
    assert TemplateSession.objects.get(pk=session.pk).duration_minutes == session.duration_minutes
    assert CourseTemplate.objects.count() == 1
