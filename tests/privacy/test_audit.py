import re

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from solidarnum.accounts.scope import resolve_scope
from solidarnum.beneficiaries.models import StaffNote
from solidarnum.privacy import links
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AppendOnlyError, AuditAction, AuditEvent
from tests.beneficiaries import make_beneficiary
from tests.conftest import PASSWORD
from tests.equipment.factories import make_device
from tests.referrals.factories import make_referral


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
    assert "E-mail, Téléphone" in page
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


# --- Readable rows: French kinds and fields, objects named as the UI names them -----------------


def test_audit_list_speaks_french_and_hides_internal_names(clients, world, event):
    rows = table_body(clients["admin"].get(reverse("privacy:audit_list")))
    assert "Point d&#x27;accueil" in rows
    assert "network.receptionpoint" not in re.sub(r"<[^>]+>", "", rows)  # only in links
    # The place is named and linked to its page, which a national admin may open.
    detail = reverse("network:reception_point_detail", kwargs={"pk": world.site_a.pk})
    assert f'href="{detail}"' in rows and "Paris 19e" in rows


def test_a_persons_file_is_named_and_linked_only_for_who_may_open_it(world):
    person = make_beneficiary(world)
    key = ("beneficiaries.beneficiary", str(person.pk))
    manager = links.describe(resolve_scope(world.users["manager_a"], None), [key])[key]
    assert manager.text == "Awa Diallo"
    assert manager.url == reverse("beneficiaries:beneficiary_detail", args=[person.public_id])
    # National admins do not see files (ADR 0010): neither the name nor a link.
    admin = links.describe(resolve_scope(world.users["admin"], None), [key])[key]
    assert "Diallo" not in admin.text and "Paris 19e" in admin.text
    assert admin.url == ""
    # Another site's staff: the same.
    other = links.describe(resolve_scope(world.users["staff_b"], None), [key])[key]
    assert "Diallo" not in other.text and other.url == ""


def test_rows_of_a_note_lead_to_the_persons_file(world):
    person = make_beneficiary(world)
    note = StaffNote.objects.create(beneficiary=person, text="Note")
    key = ("beneficiaries.staffnote", str(note.pk))
    ref = links.describe(resolve_scope(world.users["staff_a"], None), [key])[key]
    assert ref.text == "Awa Diallo"
    assert ref.url == reverse("beneficiaries:beneficiary_detail", args=[person.public_id])


def test_devices_and_referrals_are_named_by_serial_and_code(clients, world):
    device = make_device(world)
    referral = make_referral(world)
    record(actor=world.users["staff_a"], action=AuditAction.VIEW, obj=device)
    record(actor=world.users["staff_a"], action=AuditAction.VIEW, obj=referral)
    rows = table_body(clients["admin"].get(reverse("privacy:audit_list")))
    assert device.serial_number in rows
    assert f'href="{reverse("equipment:device_detail", kwargs={"pk": device.pk})}"' in rows
    assert referral.reference in rows
    # The staff inbox is not open to national admins: the code, without a link.
    inbox = reverse("referrals:referral_detail", kwargs={"reference": referral.reference})
    assert inbox not in rows
    staff = links.describe(
        resolve_scope(world.users["staff_a"], None), [("referrals.referral", str(referral.pk))]
    )
    assert staff[("referrals.referral", str(referral.pk))].url == inbox


def test_a_removed_object_or_an_unknown_kind_stays_readable(world):
    scope = resolve_scope(world.users["admin"], None)
    refs = links.describe(scope, [("equipment.device", "999999"), ("gone.model", "12")])
    assert refs[("equipment.device", "999999")].text == "supprimé"
    assert refs[("gone.model", "12")].text == "n° 12"


def test_each_row_links_to_the_history_of_its_object(clients, world, event):
    rows = table_body(clients["admin"].get(reverse("privacy:audit_list")))
    assert f"?object_type=network.receptionpoint&amp;object_id={world.site_a.pk}" in rows


def test_filtering_by_object_needs_its_kind(clients, world):
    """Ids are per kind: the same number names a place and a device."""
    device = make_device(world)
    record(actor=world.users["admin"], action=AuditAction.VIEW, obj=device)
    record(
        actor=world.users["admin"],
        action=AuditAction.UPDATE,
        object_type="network.receptionpoint",
        object_id=str(device.pk),
    )
    url = reverse("privacy:audit_list")
    response = clients["admin"].get(url, {"object_id": str(device.pk)})
    assert "Choisissez aussi le type d&#x27;objet" in response.content.decode()
    assert "Aucun résultat" in table_body(response)
    rows = table_body(
        clients["admin"].get(url, {"object_type": "equipment.device", "object_id": device.pk})
    )
    assert "Consultation" in rows and "Modification" not in rows


def test_the_kind_filter_offers_french_labels(clients, world):
    page = clients["admin"].get(reverse("privacy:audit_list")).content.decode()
    assert '<option value="beneficiaries.beneficiary">Bénéficiaire</option>' in page
    assert '<option value="equipment.deviceevent">' not in page


def test_an_object_is_found_by_the_identifier_the_ui_shows(clients, world):
    device = make_device(world)
    referral = make_referral(world)
    person = make_beneficiary(world)
    for obj in (device, referral, person):
        record(actor=world.users["staff_a"], action=AuditAction.EXPORT, obj=obj)
    url = reverse("privacy:audit_list")
    for kind, typed in [
        ("equipment.device", device.serial_number.lower()),
        ("referrals.referral", referral.reference.lower()),
        ("beneficiaries.beneficiary", str(person.public_id)),
    ]:
        rows = table_body(
            clients["admin"].get(url, {"object_type": kind, "object_id": typed, "action": "export"})
        )
        assert rows.count("<tr") == 1, kind


def test_audit_list_resolves_names_in_a_constant_number_of_queries(clients, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = clients["admin"].get(reverse("privacy:audit_list"), {"action": "view"})
        assert response.status_code == 200
        return len(queries)

    def one_of_each() -> None:
        person = make_beneficiary(world)
        note = StaffNote.objects.create(beneficiary=person, text="Note")
        for obj in (person, note, make_device(world), make_referral(world), world.site_a):
            record(actor=world.users["staff_a"], action=AuditAction.VIEW, obj=obj)

    one_of_each()
    few = page_queries()
    for _ in range(9):
        one_of_each()
    # Session and user, scope, the page of rows, then one query per kind on the page.
    assert page_queries() == few <= 10


@pytest.mark.parametrize("object_type", sorted(links.KINDS))
def test_every_kind_names_a_model_a_selector_and_a_page_that_exist(object_type):
    """Selectors and URL names are referred to by name: a move or a rename fails here."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    kind = links.KINDS[object_type]
    model = apps.get_model(object_type)
    for path in (*kind.values, *kind.extra, *kind.lookups):
        assert links._field_of(model, path) is not None, path
    if kind.via:
        assert model._meta.get_field(kind.via).related_model._meta.label_lower in links.KINDS
    if kind.selector:
        assert callable(import_string(kind.selector))
    url_names = (
        {kind.url_name(scope) for scope in _scopes_of_every_role()}
        if callable(kind.url_name)
        else {kind.url_name} - {""}
    )
    for name in url_names:
        arg = "ABC234" if kind.url_arg == "reference" else 1
        if kind.url_arg == "public_id":
            arg = "6f1c8a52-8d0e-4a55-9a35-1f7b9e1f2c3d"
        assert reverse(name, args=[arg])


def _scopes_of_every_role():
    from types import SimpleNamespace

    from solidarnum.accounts.enums import Role

    return [SimpleNamespace(role=role) for role in Role]
