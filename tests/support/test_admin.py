"""The course catalogue in the admin: its pages open, and a change reaches the audit trail."""

from django.urls import reverse

from solidarnum.privacy.models import AuditEvent
from solidarnum.support.models import CourseModule, TemplateSession
from tests.conftest import client_for
from tests.support.factories import make_template


def test_the_admin_lists_templates_and_modules_and_audits_a_change(world):
    template = make_template()
    module = CourseModule.objects.get(template=template)
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client = client_for(admin)
    assert client.get(reverse("admin:support_coursetemplate_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:support_coursemodule_change", args=[module.pk])).status_code
        == 200
    )
    sessions = list(TemplateSession.objects.filter(module=module))
    data = {
        "template": template.pk,
        "order": 1,
        "title": "Les bases du clavier",
        "sessions-TOTAL_FORMS": len(sessions),
        "sessions-INITIAL_FORMS": len(sessions),
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
    }
    for i, session in enumerate(sessions):
        data |= {
            f"sessions-{i}-id": session.pk,
            f"sessions-{i}-module": module.pk,
            f"sessions-{i}-order": session.order,
            f"sessions-{i}-title": session.title,
            f"sessions-{i}-duration_minutes": 150 if i == 0 else session.duration_minutes,
        }
    response = client.post(reverse("admin:support_coursemodule_change", args=[module.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    module.refresh_from_db()
    assert module.title == "Les bases du clavier"
    assert AuditEvent.objects.filter(object_id=str(module.pk), actor=admin).exists()
    assert AuditEvent.objects.filter(object_id=str(sessions[0].pk), actor=admin).exists()
