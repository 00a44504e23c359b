import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AppendOnlyError, AuditAction, AuditEvent

from ..conftest import PASSWORD


@pytest.fixture
def event(world):
    return record(
        actor=world.users["admin"],
        action=AuditAction.UPDATE,
        obj=world.site_a,
        changed_fields=["phone", "email", "phone"],
    )


def test_record_keeps_field_names_only_sorted_and_unique(event, world):
    assert event.changed_fields == ["email", "phone"]
    assert event.object_type == "network.receptionpoint"
    assert event.object_id == str(world.site_a.pk)


def test_the_model_refuses_update_and_delete(event):
    event.action = AuditAction.DELETE
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_update_even_in_raw_sql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_auditevent SET action = 'delete'")
    event.refresh_from_db()
    assert event.action == AuditAction.UPDATE


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger is PostgreSQL's")
def test_postgresql_refuses_delete_in_raw_sql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_login_is_audited(world, client):
    user = world.users["staff_a"]
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.LOGIN).count() == 1


def test_admin_cannot_add_change_or_delete_audit_events(world):
    model_admin = admin_site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def table_body(response) -> str:
    page = response.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_audit_list_filters_by_actor_object_action_and_date(clients, world, event):
    record(actor=world.users["manager_a"], action=AuditAction.VIEW, obj=world.structure_a)
    url = reverse("privacy:audit_list")
    rows = table_body(clients["admin"].get(url, {"actor": "marc.manager"}))
    assert "Consultation" in rows and "Modification" not in rows
    rows = table_body(clients["admin"].get(url, {"object_type": "network.receptionpoint"}))
    assert "Modification" in rows and "Consultation" not in rows
    rows = table_body(clients["admin"].get(url, {"action": "view"}))
    assert "Consultation" in rows and "Modification" not in rows
    rows = table_body(
        clients["admin"].get(
            url, {"object_id": str(world.structure_a.pk), "object_type": "network.partnerstructure"}
        )
    )
    assert "Consultation" in rows
    assert "Aucun résultat" in table_body(clients["admin"].get(url, {"since": "2999-01-01"}))


def test_audit_list_never_shows_values(clients, world, event):
    page = clients["admin"].get(reverse("privacy:audit_list")).content.decode()
    assert "email, phone" in page
    assert str(world.site_a.phone) not in page


def test_audit_list_query_count_is_constant(clients, world, django_assert_max_num_queries):
    for i in range(40):
        record(
            actor=world.users[["admin", "manager_a", "staff_a"][i % 3]],
            action=AuditAction.VIEW,
            obj=world.site_a,
        )
    with django_assert_max_num_queries(8):
        assert clients["admin"].get(reverse("privacy:audit_list")).status_code == 200
