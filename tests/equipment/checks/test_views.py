"""The volunteer check: serial lookup and the checklist screen."""

from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.models import Membership
from solidarnum.accounts.scope import resolve_scope
from solidarnum.equipment.checks import services
from solidarnum.equipment.enums import CheckAnswer, CheckPoint, DeviceKind, Status
from solidarnum.equipment.logistics.services import send_transfer
from solidarnum.equipment.models import Device, DeviceCheck, DeviceEvent
from tests.equipment.factories import VALID_IMEIS, make_device
from tests.pages import count_queries, messages_of

LOOKUP = "equipment:device_check_lookup"


def check_url(device: Device) -> str:
    return reverse("equipment:device_check", kwargs={"pk": device.pk})


def answers(device: Device, **overrides: str) -> dict[str, str]:
    """Every applicable point OK, except the overrides (point code -> answer)."""
    data = {
        f"point_{p.value}": CheckAnswer.OK.value for p in services.applicable_points(device.kind)
    }
    data.update({f"point_{code}": value for code, value in overrides.items()})
    return data


def post_check(client, device: Device, **extra):
    data = answers(device)
    if device.kind in (DeviceKind.LAPTOP, DeviceKind.SMARTPHONE, DeviceKind.TABLET):
        data["battery_health"] = "85"
    data.update({k: v for k, v in extra.items() if not k.startswith("point_")})
    data.update({k: v for k, v in extra.items() if k.startswith("point_")})
    return client.post(check_url(device), data)


# --- Lookup -------------------------------------------------------------------------------------


def test_lookup_by_serial_opens_the_check(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    typed = " " + device.serial_number.lower() + " "  # as typed on a phone
    response = clients["volunteer_a"].get(reverse(LOOKUP), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == check_url(device)


def test_lookup_by_imei_opens_the_check(world, clients):
    device = make_device(
        world, status=Status.TO_CHECK, kind=DeviceKind.SMARTPHONE, imei=VALID_IMEIS[0]
    )
    spaced = "49 015420 323751 8"
    response = clients["volunteer_a"].get(reverse(LOOKUP), {"code": spaced})
    assert response["Location"] == check_url(device)


def test_lookup_of_an_unknown_number_says_so_and_offers_the_input_again(world, clients):
    response = clients["volunteer_a"].get(reverse(LOOKUP), {"code": "INCONNU42"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Aucun appareil de votre point d&#x27;accueil avec ce numéro" in content
    assert 'name="code"' in content and "autofocus" in content


def test_another_sites_serial_is_not_found(world, clients):
    other = make_device(world, status=Status.TO_CHECK, site="b")
    response = clients["volunteer_a"].get(reverse(LOOKUP), {"code": other.serial_number})
    assert response.status_code == 200
    assert (
        "Aucun appareil de votre point d&#x27;accueil avec ce numéro" in response.content.decode()
    )


def test_lookup_input_is_made_for_a_scanner(world, clients):
    content = clients["volunteer_a"].get(reverse(LOOKUP)).content.decode()
    assert "Numéro de série ou IMEI" in content
    for attribute in ('autocomplete="off"', 'inputmode="text"', "autofocus"):
        assert attribute in content
    assert "Aucun appareil de votre point" not in content  # no search yet, no error


def test_lookup_lists_the_sites_devices_to_check_only(world, clients):
    waiting = make_device(world, status=Status.TO_CHECK)
    on_sale = make_device(world, status=Status.AVAILABLE)
    elsewhere = make_device(world, status=Status.TO_CHECK, site="b")
    content = clients["volunteer_a"].get(reverse(LOOKUP)).content.decode()
    assert waiting.serial_number in content and check_url(waiting) in content
    assert on_sale.serial_number not in content
    assert elsewhere.serial_number not in content


def test_lookup_list_is_paginated(world, clients):
    for _ in range(27):
        make_device(world, status=Status.TO_CHECK)
    first = clients["volunteer_a"].get(reverse(LOOKUP)).content.decode()
    assert first.count('class="card tap-card"') == 25 and "Page suivante" in first
    second = clients["volunteer_a"].get(reverse(LOOKUP), {"page": 2}).content.decode()
    assert second.count('class="card tap-card"') == 2
    odd = clients["volunteer_a"].get(reverse(LOOKUP), {"page": "abc"})
    assert odd.status_code == 200


def test_lookup_list_query_count_does_not_grow_with_devices(world, clients):
    for _ in range(3):
        make_device(world, status=Status.TO_CHECK)
    few = count_queries(clients["volunteer_a"], reverse(LOOKUP))
    for _ in range(20):
        make_device(world, status=Status.TO_CHECK)
    assert count_queries(clients["volunteer_a"], reverse(LOOKUP)) == few


def test_people_without_the_skill_get_an_explanation_not_the_form(world, clients):
    make_device(world, status=Status.TO_CHECK)
    content = clients["staff_a"].get(reverse(LOOKUP)).content.decode()
    assert "compétence reconditionnement" in content
    assert 'name="code"' not in content
    assert reverse("accounts:team") not in content  # only the manager manages the team
    manager = clients["manager_a"].get(reverse(LOOKUP)).content.decode()
    assert reverse("accounts:team") in manager and 'name="code"' not in manager


# --- Check page ---------------------------------------------------------------------------------


def test_check_page_shows_the_device_and_every_applicable_point(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    response = clients["volunteer_a"].get(check_url(device))
    content = response.content.decode()
    assert response.status_code == 200
    assert device.serial_number in content and "Lenovo ThinkPad T480" in content
    for point in services.applicable_points(device.kind):
        assert f'name="point_{point.value}"' in content
    assert content.count('type="radio"') == 3 * len(services.applicable_points(device.kind))
    assert "Pas OK" in content and "Sans objet" in content
    assert f"{settings.EQUIPMENT_BATTERY_MIN_PERCENT} %" in content
    assert 'name="battery_health"' in content
    assert "Enregistrer le contrôle" in content
    assert "js/workbench.js" in content


def test_a_desktop_has_no_battery_question(world, clients):
    device = make_device(world, status=Status.TO_CHECK, kind=DeviceKind.DESKTOP)
    content = clients["volunteer_a"].get(check_url(device)).content.decode()
    assert 'name="point_battery"' not in content and 'name="battery_health"' not in content
    response = post_check(clients["volunteer_a"], device)
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.status == Status.AVAILABLE


def test_a_passed_check_makes_the_device_available(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    response = post_check(clients["volunteer_a"], device, battery_health="91")
    assert response.status_code == 302 and response["Location"] == reverse(LOOKUP)
    device.refresh_from_db()
    assert device.status == Status.AVAILABLE
    assert device.battery_health == 91
    check = DeviceCheck.objects.get(device=device)
    assert check.passed and check.performed_by == world.users["volunteer_a"]
    assert check.reception_point == world.site_a
    event = device.events.order_by("-id").first()
    assert (event.from_status, event.to_status) == (Status.TO_CHECK, Status.AVAILABLE)
    page = clients["volunteer_a"].get(response["Location"])
    assert any("Contrôle réussi : l'appareil est disponible" in m for m in messages_of(page))


def test_a_failed_point_sends_the_device_to_repair_with_the_points_and_comment(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    response = post_check(
        clients["volunteer_a"],
        device,
        point_screen=CheckAnswer.FAIL,
        point_camera=CheckAnswer.NOT_APPLICABLE,
        comment="Pixel mort en haut à gauche",
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.status == Status.TO_REPAIR
    reason = device.events.order_by("-id").first().reason
    assert "Écran sans défaut" in reason and "Pixel mort en haut à gauche" in reason
    check = DeviceCheck.objects.get(device=device)
    assert not check.passed and check.answers["camera"] == CheckAnswer.NOT_APPLICABLE
    page = clients["volunteer_a"].get(response["Location"])
    assert any("L'appareil part en réparation : Écran sans défaut" in m for m in messages_of(page))


def test_a_battery_below_the_threshold_fails_the_check(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    low = settings.EQUIPMENT_BATTERY_MIN_PERCENT - 1
    response = post_check(clients["volunteer_a"], device, battery_health=str(low))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.status == Status.TO_REPAIR and device.battery_health == low
    check = DeviceCheck.objects.get(device=device)
    assert not check.passed and check.answers[CheckPoint.BATTERY] == CheckAnswer.FAIL
    assert "Batterie" in device.events.order_by("-id").first().reason


def test_a_pass_without_erasure_is_refused_and_nothing_is_saved(world, clients):
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    events = DeviceEvent.objects.filter(device=device).count()
    assert "aucun effacement réussi enregistré" in (
        clients["volunteer_a"].get(check_url(device)).content.decode()
    )
    response = post_check(clients["volunteer_a"], device, grade="A")
    assert response.status_code == 400
    assert "aucun effacement des données réussi" in response.content.decode()
    assert not DeviceCheck.objects.filter(device=device).exists()
    device.refresh_from_db()
    assert device.status == Status.TO_CHECK and device.grade == "B"
    assert DeviceEvent.objects.filter(device=device).count() == events


def test_a_failed_point_without_comment_is_refused(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    response = post_check(clients["volunteer_a"], device, point_wifi=CheckAnswer.FAIL)
    assert response.status_code == 400
    assert "Décrivez ce qui ne va pas" in response.content.decode()
    assert not DeviceCheck.objects.exists()
    device.refresh_from_db()
    assert device.status == Status.TO_CHECK


def test_unanswered_points_and_odd_values_are_refused(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    data = answers(device)
    del data["point_sound"]
    data["point_wifi"] = "peut-être"
    data["battery_health"] = "140"
    response = clients["volunteer_a"].post(check_url(device), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "Répondez à ce point." in content
    assert "Indiquez un nombre entre 0 et 100." in content
    assert "rien n&#x27;a été enregistré" in content or "rien n'a été enregistré" in content
    assert not DeviceCheck.objects.exists()


def test_a_battery_answer_needs_the_measure(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    response = clients["volunteer_a"].post(check_url(device), answers(device))
    assert response.status_code == 400
    assert "Indiquez la santé de la batterie mesurée" in response.content.decode()
    assert not DeviceCheck.objects.exists()


def test_a_device_without_grade_needs_one(world, clients):
    device = make_device(world, status=Status.TO_CHECK, grade="")
    response = post_check(clients["volunteer_a"], device)
    assert response.status_code == 400
    assert "Indiquez le grade" in response.content.decode()
    assert post_check(clients["volunteer_a"], device, grade="C").status_code == 302
    device.refresh_from_db()
    assert (device.status, device.grade) == (Status.AVAILABLE, "C")


def test_staff_without_the_skill_see_why_and_cannot_post(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    page = clients["staff_a"].get(check_url(device))
    content = page.content.decode()
    assert page.status_code == 200
    assert "compétence reconditionnement" in content and "Enregistrer le contrôle" not in content
    response = post_check(clients["staff_a"], device)
    assert response.status_code == 403
    assert "compétence reconditionnement" in response.content.decode()
    device.refresh_from_db()
    assert device.status == Status.TO_CHECK and not DeviceCheck.objects.exists()


def test_staff_given_the_skill_can_check(world, clients):
    Membership.objects.filter(user=world.users["staff_a"]).update(can_check_devices=True)
    device = make_device(world, status=Status.TO_CHECK)
    assert post_check(clients["staff_a"], device).status_code == 302
    device.refresh_from_db()
    assert device.status == Status.AVAILABLE


def test_a_device_not_to_check_shows_why_and_refuses_a_post(world, clients):
    device = make_device(world, status=Status.AVAILABLE)
    page = clients["volunteer_a"].get(check_url(device)).content.decode()
    assert "n&#x27;est pas à contrôler" in page and "Enregistrer le contrôle" not in page
    assert post_check(clients["volunteer_a"], device).status_code == 403
    assert not DeviceCheck.objects.exists()


def test_another_sites_device_is_not_found(world, clients):
    device = make_device(world, status=Status.TO_CHECK, site="b")
    assert clients["volunteer_a"].get(check_url(device)).status_code == 404
    assert post_check(clients["volunteer_a"], device).status_code == 404


def test_a_device_travelling_to_the_site_is_found_but_not_yet_checkable(world, clients):
    device = make_device(world, status=Status.TO_CHECK, site="b")
    send_transfer(
        acting_user=world.users["staff_b"],
        scope=resolve_scope(world.users["staff_b"], None),
        devices=[device],
        from_point=world.site_b,
        to_point=world.site_a,
    )
    response = clients["volunteer_a"].get(reverse(LOOKUP), {"code": device.serial_number})
    assert response["Location"] == check_url(device)
    page = clients["volunteer_a"].get(check_url(device)).content.decode()
    assert "pas encore arrivé" in page and "Enregistrer le contrôle" not in page
    assert post_check(clients["volunteer_a"], device).status_code == 403
    assert not DeviceCheck.objects.exists()


# --- What the check screen says about the data erasure ------------------------------------------


ERASURE_TEXTS = {
    "none": "aucun effacement réussi",
    "without": "réussi, sans certificat",
    "with": "réussi, avec certificat",
}


def _erasure_texts(clients, device):
    """What the check screen, the device page and the batch page say about the erasure."""
    check = clients["volunteer_a"].get(check_url(device))
    page = clients["admin"].get(reverse("equipment:device_detail", kwargs={"pk": device.pk}))
    batch = clients["admin"].get(reverse("equipment:batch_detail", kwargs={"pk": device.batch_id}))
    return [unescape(r.content.decode()) for r in (check, page, batch)]


@pytest.mark.parametrize("with_certificate", [False, True])
def test_the_check_screen_says_exactly_what_is_on_record_about_the_erasure(
    world, clients, with_certificate
):
    from django.core.files.base import ContentFile

    from solidarnum.equipment.enums import ErasureResult
    from solidarnum.equipment.models import ErasureRecord, ImportBatch
    from tests.equipment.factories import PDF_BYTES, make_donation

    donation = make_donation(world)
    batch = ImportBatch.objects.create(
        refurbisher=donation.refurbisher, donation=donation, file_name="lot.csv", row_count=1
    )
    device = make_device(world, status=Status.TO_CHECK, donation=donation, batch=batch)
    # A failed first pass carrying a file is no proof of the successful erasure.
    failed = ErasureRecord.objects.create(
        device=device,
        method="overwrite",
        tool="Blancco",
        performed_on=timezone.localdate(),
        operator="Atelier",
        result=ErasureResult.FAILURE,
    )
    failed.certificate.save("echec.pdf", ContentFile(PDF_BYTES))
    if with_certificate:
        success = device.erasures.get(result=ErasureResult.SUCCESS)
        success.certificate.save("certificat.pdf", ContentFile(PDF_BYTES))
    expected = "with" if with_certificate else "without"
    check, page, batch_page = _erasure_texts(clients, device)
    for text in (check, page, batch_page):
        assert ERASURE_TEXTS[expected] in text
        for key, other in ERASURE_TEXTS.items():
            if key != expected:
                assert other not in text
    assert "certificat enregistré" not in check or with_certificate


def test_the_check_screen_says_when_no_erasure_is_on_record(world, clients):
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    content = unescape(clients["volunteer_a"].get(check_url(device)).content.decode())
    assert ERASURE_TEXTS["none"] in content
    assert "certificat" not in content.split("Effacement des données")[1].split("</dd>")[0]
