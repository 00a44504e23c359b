"""Reservations for a person: from the file, from the device, the cancellation; the device page
actions and the file's equipment card."""

from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.beneficiaries.models import AccessPeriod, TimelineEntry
from solidarnum.equipment.enums import DeviceKind, Status
from solidarnum.equipment.models import Device
from solidarnum.equipment.reservations.services import record_sale, reserve
from solidarnum.privacy.models import AuditAction, AuditEvent
from tests.beneficiaries import make_beneficiary, make_beneficiary_b
from tests.equipment.factories import make_device, make_prices
from tests.pages import count_queries, messages_of

LOOKUP = "equipment:device_check_lookup"


def reserve_url(beneficiary) -> str:
    return reverse("equipment:device_reserve", kwargs={"public_id": beneficiary.public_id})


def file_url(beneficiary) -> str:
    """The file's tab that lists the person's devices (ADR 0045)."""
    path = reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": beneficiary.public_id})
    return path + "?onglet=equipement"


def with_access_ended(beneficiary):
    today = timezone.localdate()
    AccessPeriod.objects.filter(beneficiary=beneficiary).update(
        starts_on=today - timedelta(days=600), ends_on=today - timedelta(days=2)
    )
    return beneficiary


# --- Device page actions ------------------------------------------------------------------------


def render_actions(world, role: str, device: Device) -> str:
    scope = resolve_scope(world.users[role], None)
    return render_to_string(
        "equipment/devices/_device_actions.html", {"device": device, "scope": scope}
    )


def test_device_page_actions_follow_the_permissions(world):
    to_check = make_device(world, status=Status.TO_CHECK)
    assert "Contrôler cet appareil" in render_actions(world, "volunteer_a", to_check)
    assert "Contrôler cet appareil" not in render_actions(world, "staff_a", to_check)
    available = make_device(world, status=Status.AVAILABLE)
    assert "Réserver pour une personne" in render_actions(world, "staff_a", available)
    assert "Réserver pour une personne" not in render_actions(world, "volunteer_a", available)
    assert render_actions(world, "staff_b", available).strip() == ""
    reserved = make_device(
        world,
        status=Status.RESERVED,
        reserved_for=make_beneficiary(world),
        reserved_until=timezone.now() + timedelta(days=2),
    )
    html = render_actions(world, "manager_a", reserved)
    assert "Annuler la réservation" in html
    assert reverse("equipment:device_reservation_cancel", kwargs={"pk": reserved.pk}) in html


# --- Reservation from the person's file ---------------------------------------------------------


def test_reserve_lists_the_sites_available_devices_with_their_price(world, clients):
    make_prices()
    laptop = make_device(world, status=Status.AVAILABLE, grade="A")
    phone = make_device(world, status=Status.AVAILABLE, kind=DeviceKind.SMARTPHONE)
    waiting = make_device(world, status=Status.TO_CHECK)
    elsewhere = make_device(world, status=Status.AVAILABLE, site="b")
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].get(reserve_url(beneficiary))
    content = response.content.decode()
    assert response.status_code == 200
    assert laptop.serial_number in content and phone.serial_number in content
    assert "110,00 €" in content and "40,00 €" in content
    assert waiting.serial_number not in content and elsewhere.serial_number not in content
    assert f'name="device" value="{laptop.pk}"' in content
    filtered = clients["staff_a"].get(reserve_url(beneficiary), {"kind": DeviceKind.SMARTPHONE})
    assert phone.serial_number in filtered.content.decode()
    assert laptop.serial_number not in filtered.content.decode()


def test_reserve_list_query_count_does_not_grow_with_devices(world, clients):
    make_prices()
    beneficiary = make_beneficiary(world)
    for _ in range(3):
        make_device(world, status=Status.AVAILABLE)
    few = count_queries(clients["staff_a"], reserve_url(beneficiary))
    for _ in range(20):
        make_device(world, status=Status.AVAILABLE, kind=DeviceKind.TABLET)
    assert count_queries(clients["staff_a"], reserve_url(beneficiary)) == few


def test_staff_reserve_a_device_for_a_person(world, clients):
    device = make_device(world, status=Status.AVAILABLE)
    beneficiary = make_beneficiary(world)
    before = timezone.now()
    response = clients["staff_a"].post(reserve_url(beneficiary), {"device": device.pk, "days": ""})
    assert response.status_code == 302
    assert response["Location"] == file_url(beneficiary) + "#equipement"
    device.refresh_from_db()
    assert device.status == Status.RESERVED and device.reserved_for == beneficiary
    expected = before + timedelta(days=settings.EQUIPMENT_RESERVATION_DAYS)
    assert abs(device.reserved_until - expected) < timedelta(minutes=1)
    entry = TimelineEntry.objects.get(beneficiary=beneficiary, kind="equipment.device_reserved")
    assert entry.actor == world.users["staff_a"]
    assert AuditEvent.objects.filter(
        object_type="equipment.device", object_id=str(device.pk), action=AuditAction.UPDATE
    ).exists()
    page = clients["staff_a"].get(response["Location"])
    content = page.content.decode()
    assert any("réservé pour Awa Diallo" in m for m in messages_of(page))
    assert device.serial_number in content and "réservé jusqu" in content


def test_reservation_length_can_be_chosen(world, clients):
    device = make_device(world, status=Status.AVAILABLE)
    beneficiary = make_beneficiary(world)
    clients["manager_a"].post(reserve_url(beneficiary), {"device": device.pk, "days": "3"})
    device.refresh_from_db()
    assert device.reserved_until - timezone.now() < timedelta(days=3, minutes=1)
    too_long = make_device(world, status=Status.AVAILABLE)
    response = clients["manager_a"].post(
        reserve_url(beneficiary), {"device": too_long.pk, "days": "400"}
    )
    assert response.status_code == 400
    assert "Indiquez un nombre de jours entre 1 et 30." in response.content.decode()
    too_long.refresh_from_db()
    assert too_long.status == Status.AVAILABLE


def test_a_device_no_longer_available_is_refused_with_the_refreshed_list(world, clients):
    taken = make_device(world, status=Status.AVAILABLE)
    other = make_device(world, status=Status.AVAILABLE)
    first, second = make_beneficiary(world), make_beneficiary(world, first_name="Binta")
    reserve(
        acting_user=world.users["manager_a"],
        scope=resolve_scope(world.users["manager_a"], None),
        device=taken,
        beneficiary=first,
    )
    response = clients["staff_a"].post(reserve_url(second), {"device": taken.pk})
    content = response.content.decode()
    assert response.status_code == 400
    assert any("Cet appareil n'est plus disponible" in m for m in messages_of(response))
    assert other.serial_number in content
    assert f'value="{taken.pk}"' not in content  # the refreshed list no longer offers it
    taken.refresh_from_db()
    assert taken.reserved_for == first
    assert not TimelineEntry.objects.filter(
        beneficiary=second, kind="equipment.device_reserved"
    ).exists()


def test_reserving_a_device_to_check_or_of_another_site_is_refused(world, clients):
    beneficiary = make_beneficiary(world)
    waiting = make_device(world, status=Status.TO_CHECK)
    response = clients["staff_a"].post(reserve_url(beneficiary), {"device": waiting.pk})
    assert response.status_code == 400
    assert any("n'est plus disponible" in m for m in messages_of(response))
    elsewhere = make_device(world, status=Status.AVAILABLE, site="b")
    response = clients["staff_a"].post(reserve_url(beneficiary), {"device": elsewhere.pk})
    assert response.status_code == 400
    assert any("pas dans votre point d'accueil" in m for m in messages_of(response))
    bad = clients["staff_a"].post(reserve_url(beneficiary), {"device": "abc"})
    assert bad.status_code == 400
    assert not Device.objects.filter(status=Status.RESERVED).exists()


def test_a_person_without_current_access_cannot_get_a_reservation(world, clients):
    device = make_device(world, status=Status.AVAILABLE)
    beneficiary = with_access_ended(make_beneficiary(world))
    page = unescape(clients["staff_a"].get(reserve_url(beneficiary)).content.decode())
    assert "pas d'accès en cours" in page and device.serial_number not in page
    response = clients["staff_a"].post(reserve_url(beneficiary), {"device": device.pk})
    assert response.status_code == 400
    assert any("pas d'accès en cours" in m for m in messages_of(response))
    device.refresh_from_db()
    assert device.status == Status.AVAILABLE and device.reserved_for is None


def test_another_sites_file_is_not_found(world, clients):
    beneficiary = make_beneficiary_b(world)
    device = make_device(world, status=Status.AVAILABLE)
    assert clients["staff_a"].get(reserve_url(beneficiary)).status_code == 404
    response = clients["staff_a"].post(reserve_url(beneficiary), {"device": device.pk})
    assert response.status_code == 404
    device.refresh_from_db()
    assert device.status == Status.AVAILABLE


def test_volunteers_cannot_reserve(world, clients):
    device = make_device(world, status=Status.AVAILABLE)
    beneficiary = make_beneficiary(world)
    response = clients["volunteer_a"].post(reserve_url(beneficiary), {"device": device.pk})
    assert response.status_code == 403
    device.refresh_from_db()
    assert device.status == Status.AVAILABLE


# --- Reservation from the device ----------------------------------------------------------------


def test_staff_reserve_a_device_for_a_person_found_by_name(world, clients):
    device = make_device(world, status=Status.AVAILABLE)
    awa = make_beneficiary(world)
    binta = make_beneficiary(world, first_name="Binta", last_name="Camara", phone="+33611111111")
    ended = with_access_ended(make_beneficiary(world, first_name="Chloé", last_name="Ended"))
    path = reverse("equipment:device_reserve_for_person", kwargs={"pk": device.pk})
    everyone = clients["staff_a"].get(path).content.decode()
    assert "Awa Diallo" in everyone and "Binta Camara" in everyone
    assert "Chloé Ended" not in everyone  # no access running
    found = clients["staff_a"].get(path, {"q": "camara"}).content.decode()
    assert "Binta Camara" in found and "Awa Diallo" not in found
    response = clients["staff_a"].post(path, {"beneficiary": str(binta.public_id)})
    assert response.status_code == 302 and response["Location"].startswith(file_url(binta))
    device.refresh_from_db()
    assert device.reserved_for == binta
    assert ended and awa


def test_reserving_for_a_person_a_device_not_available_says_why(world, clients):
    device = make_device(world, status=Status.TO_REPAIR)
    beneficiary = make_beneficiary(world)
    path = reverse("equipment:device_reserve_for_person", kwargs={"pk": device.pk})
    assert "ne peut pas être réservé" in clients["staff_a"].get(path).content.decode()
    response = clients["staff_a"].post(path, {"beneficiary": str(beneficiary.public_id)})
    assert response.status_code == 400
    device.refresh_from_db()
    assert device.status == Status.TO_REPAIR


# --- Cancellation -------------------------------------------------------------------------------


def reserved(world, beneficiary) -> Device:
    device = make_device(world, status=Status.AVAILABLE)
    return reserve(
        acting_user=world.users["staff_a"],
        scope=resolve_scope(world.users["staff_a"], None),
        device=device,
        beneficiary=beneficiary,
    )


def test_cancel_puts_the_device_back_on_sale(world, clients):
    beneficiary = make_beneficiary(world)
    device = reserved(world, beneficiary)
    path = reverse("equipment:device_reservation_cancel", kwargs={"pk": device.pk})
    response = clients["manager_a"].post(path)
    assert response.status_code == 302 and response["Location"] == file_url(beneficiary)
    device.refresh_from_db()
    assert device.status == Status.AVAILABLE and device.reserved_for is None
    assert TimelineEntry.objects.filter(
        beneficiary=beneficiary, kind="equipment.reservation_ended"
    ).exists()
    again = clients["manager_a"].post(path)
    assert again.status_code == 400
    assert any("n'est pas réservé" in m for m in messages_of(again))


def test_cancel_goes_back_to_a_safe_next_page_only(world, clients):
    beneficiary = make_beneficiary(world)
    device = reserved(world, beneficiary)
    path = reverse("equipment:device_reservation_cancel", kwargs={"pk": device.pk})
    response = clients["staff_a"].post(path, {"next": "https://evil.example/"})
    assert response["Location"] == file_url(beneficiary)
    device = reserved(world, beneficiary)
    path = reverse("equipment:device_reservation_cancel", kwargs={"pk": device.pk})
    response = clients["staff_a"].post(path, {"next": reverse(LOOKUP)})
    assert response["Location"] == reverse(LOOKUP)


def test_cancel_is_refused_to_volunteers_and_other_sites(world, clients):
    device = reserved(world, make_beneficiary(world))
    path = reverse("equipment:device_reservation_cancel", kwargs={"pk": device.pk})
    assert clients["volunteer_a"].post(path).status_code == 403
    assert clients["staff_b"].post(path).status_code == 404
    assert clients["staff_a"].get(path).status_code == 405
    device.refresh_from_db()
    assert device.status == Status.RESERVED


# --- The person's file --------------------------------------------------------------------------


def test_the_file_shows_reserved_and_obtained_devices(world, clients):
    beneficiary = make_beneficiary(world)
    kept = reserved(world, beneficiary)
    make_prices()
    bought = reserved(world, beneficiary)
    record_sale(acting_user=world.users["staff_a"], device=bought)
    content = clients["staff_a"].get(file_url(beneficiary)).content.decode()
    assert "Équipement" in content and "Réserver un appareil" in content
    assert reserve_url(beneficiary) in content
    assert kept.serial_number in content and "réservé jusqu" in content
    assert bought.serial_number in content and "obtenu le" in content
    assert reverse("equipment:device_reservation_cancel", kwargs={"pk": kept.pk}) in content
    assert reverse("equipment:device_reservation_cancel", kwargs={"pk": bought.pk}) not in content
    volunteer = clients["volunteer_a"].get(file_url(beneficiary)).content.decode()
    assert "Réserver un appareil" not in volunteer and kept.serial_number not in volunteer


@pytest.mark.parametrize("devices", [1, 12])
def test_the_file_page_query_count_does_not_grow_with_devices(world, clients, devices):
    beneficiary = make_beneficiary(world)
    make_prices()
    baseline = count_queries(clients["staff_a"], file_url(beneficiary))
    for _ in range(devices):
        reserved(world, beneficiary)
    assert count_queries(clients["staff_a"], file_url(beneficiary)) == baseline
