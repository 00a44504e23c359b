"""Stock overview, device search, device page, manual status change and erasure records."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solidarnum.equipment.checks.services import record_check
from solidarnum.equipment.devices import services
from solidarnum.equipment.enums import (
    CheckAnswer,
    CheckPoint,
    DeviceKind,
    ErasureMethod,
    ErasureResult,
    Status,
)
from solidarnum.equipment.logistics.services import send_transfer
from solidarnum.equipment.models import Device, DeviceCheck, DeviceEvent, ErasureRecord, Price
from solidarnum.equipment.reservations.services import reserve
from solidarnum.network.models import RefurbishingPartner
from solidarnum.privacy.models import AuditAction, AuditEvent
from tests.beneficiaries import make_beneficiary
from tests.conftest import make_company
from tests.equipment.factories import (
    PDF_BYTES,
    VALID_IMEIS,
    make_device,
    make_donation,
    make_prices,
)
from tests.pages import messages_of
from tests.referrals.factories import scope_for


def results(response) -> str:
    """The rows of the device table (what htmx swaps in place, headers left out)."""
    html = response.content.decode()
    start = html.index('<div id="results"')
    block = html[start : html.index("</table>", start)]
    return block[block.index("<tbody") :]


def detail_url(device: Device) -> str:
    return reverse("equipment:device_detail", kwargs={"pk": device.pk})


def status_url(device: Device) -> str:
    return reverse("equipment:device_status", kwargs={"pk": device.pk})


def erasure_url(device: Device) -> str:
    return reverse("equipment:device_erasure_add", kwargs={"pk": device.pk})


def other_workshop_device(world) -> Device:
    other = make_company(RefurbishingPartner, "Atelier Ailleurs", 13)
    return make_device(world, donation=make_donation(world, refurbisher=other), site="a")


def pdf(name: str = "certificat.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def erasure_post(**extra) -> dict:
    data = {
        "method": ErasureMethod.OVERWRITE,
        "tool": "Blancco Drive Eraser",
        "performed_on": "2026-01-10",
        "operator": "Atelier Exemple",
        "result": ErasureResult.SUCCESS,
    }
    data.update(extra)
    return data


# --- Stock overview ------------------------------------------------------------------------------


def test_stock_shows_the_sites_available_devices_by_kind_and_grade(world, clients):
    make_prices()
    for _ in range(3):
        make_device(world, grade="B")
    make_device(world, grade="A")
    make_device(world, kind=DeviceKind.SMARTPHONE, grade="C", imei=VALID_IMEIS[0])
    make_device(world, status=Status.TO_CHECK)
    make_device(world, status=Status.TO_REPAIR)
    make_device(world, status=Status.SOLD)
    make_device(world, site="b", grade="B")
    make_device(world, site="b", grade="B")

    response = clients["staff_a"].get(reverse("equipment:stock_overview"))
    assert response.status_code == 200
    (stock,) = response.context["stocks"]
    assert stock.point == world.site_a
    laptops = next(row for row in stock.rows if row.kind == "Ordinateur portable")
    assert [cell.count for cell in laptops.cells] == [1, 3, 0]
    assert laptops.total.count == 4
    assert [cell.price for cell in laptops.cells] == ["110,00 €", "90,00 €", "80,00 €"]
    assert laptops.cells[1].url == (
        reverse("equipment:device_list") + "?status=available&kind=laptop&grade=B"
    )
    assert stock.available == 5  # site B's two laptops and the sold one are not counted
    assert {label: n for label, n, _ in stock.others} == {
        "À contrôler": 1,
        "À réparer": 1,
        "Réservé": 0,
    }
    page = response.content.decode()
    assert "110,00 €" in page
    assert "?status=available&amp;kind=laptop&amp;grade=B" in page


def test_stock_counts_transfers_on_their_way_to_the_site(world, clients):
    devices = [make_device(world, status=Status.BACK_FROM_WORKSHOP, site=None) for _ in range(2)]
    send_transfer(
        acting_user=world.users["refurbisher_contact"],
        scope=scope_for(world, "refurbisher_contact"),
        devices=devices,
        to_point=world.site_a,
        from_refurbisher=world.refurbisher,
    )
    stock = clients["staff_a"].get(reverse("equipment:stock_overview")).context["stocks"][0]
    assert stock.incoming == 1
    assert stock.incoming_url == reverse("equipment:device_list") + "?place=transit"
    other = clients["staff_b"].get(reverse("equipment:stock_overview")).context["stocks"][0]
    assert other.point == world.site_b and other.incoming == 0


def test_the_national_team_sees_every_site_and_can_pick_one(world, clients):
    make_device(world, grade="A")
    make_device(world, site="b", grade="A")
    make_device(world, site="b", grade="A")
    response = clients["admin"].get(reverse("equipment:stock_overview"))
    by_point = {stock.point.pk: stock.available for stock in response.context["stocks"]}
    assert by_point == {world.site_a.pk: 1, world.site_b.pk: 2}
    # Links carry the site, so the list shows that site's devices.
    stock_b = next(s for s in response.context["stocks"] if s.point == world.site_b)
    laptops = stock_b.rows[0]
    assert f"reception_point={world.site_b.pk}" in laptops.cells[0].url

    only_b = clients["admin"].get(reverse("equipment:stock_overview"), {"site": world.site_b.pk})
    assert [s.point for s in only_b.context["stocks"]] == [world.site_b]
    bad = clients["admin"].get(reverse("equipment:stock_overview"), {"site": "n'importe quoi"})
    assert bad.status_code == 200 and len(bad.context["stocks"]) == 2


def test_stock_says_when_no_price_is_set(world, clients):
    make_device(world, grade="B")
    stock = clients["staff_a"].get(reverse("equipment:stock_overview")).context["stocks"][0]
    assert all(cell.price == "" for row in stock.rows for cell in row.cells)


def test_stock_query_count_does_not_grow_with_devices(world, clients):
    make_prices()

    def queries(role: str) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert clients[role].get(reverse("equipment:stock_overview")).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    make_device(world)
    few_site, few_admin = queries("staff_a"), queries("admin")
    kinds = list(DeviceKind)
    for i in range(12):
        make_device(
            world,
            kind=kinds[i % 2],
            grade="ABC"[i % 3],
            status=[Status.AVAILABLE, Status.TO_CHECK, Status.RESERVED][i % 3]
            if i % 3 != 2
            else Status.TO_REPAIR,
            site="a" if i % 4 else "b",
        )
    many_site, many_admin = queries("staff_a"), queries("admin")
    assert len(few_site) == len(many_site)
    assert len(few_admin) == len(many_admin)
    device_queries = [sql for sql in many_admin if "equipment_device" in sql]
    assert len(device_queries) == 1 and "GROUP BY" in device_queries[0].upper()


def test_stock_is_read_only_and_get_only(world, clients):
    events = AuditEvent.objects.count()
    clients["staff_a"].get(reverse("equipment:stock_overview"))
    assert AuditEvent.objects.count() == events
    assert clients["staff_a"].post(reverse("equipment:stock_overview")).status_code == 405


# --- Device search -------------------------------------------------------------------------------


def test_site_team_sees_its_own_devices_only(world, clients):
    mine = make_device(world)
    theirs = make_device(world, site="b")
    page = results(clients["volunteer_a"].get(reverse("equipment:device_list")))
    assert mine.serial_number in page and theirs.serial_number not in page


def test_the_workshop_sees_its_devices_wherever_they_are(world, clients):
    at_a = make_device(world)
    at_b = make_device(world, site="b")
    at_workshop = make_device(world, status=Status.AT_REFURBISHER, site=None)
    elsewhere = other_workshop_device(world)
    page = results(clients["refurbisher_contact"].get(reverse("equipment:device_list")))
    assert at_a.serial_number in page and at_b.serial_number in page
    assert at_workshop.serial_number in page
    assert elsewhere.serial_number not in page
    assert "À l&#x27;atelier Atelier Exemple" in page or "À l'atelier Atelier Exemple" in page


@pytest.mark.parametrize("typed", ["{serial}", "{serial_lower}", "{serial_spaced}", "{imei}"])
def test_search_finds_a_device_by_serial_or_imei(world, clients, typed):
    phone = make_device(world, kind=DeviceKind.SMARTPHONE, imei=VALID_IMEIS[1])
    other = make_device(world)
    serial = phone.serial_number
    q = typed.format(
        serial=serial,
        serial_lower=serial.lower(),
        serial_spaced=f" {serial[:4]} {serial[4:]} ",
        imei="35 6938 0356 43809",
    )
    page = results(clients["staff_a"].get(reverse("equipment:device_list"), {"q": q}))
    assert serial in page and other.serial_number not in page


def test_search_by_brand_and_model_words(world, clients):
    dell = make_device(world, brand="Dell", model_name="Latitude 5490")
    lenovo = make_device(world)
    page = results(clients["staff_a"].get(reverse("equipment:device_list"), {"q": "dell latitude"}))
    assert dell.serial_number in page and lenovo.serial_number not in page
    page = results(clients["staff_a"].get(reverse("equipment:device_list"), {"q": "thinkpad"}))
    assert lenovo.serial_number in page and dell.serial_number not in page


def test_filters_by_status_kind_grade_and_donation(world, clients):
    donation = make_donation(world)
    available_b = make_device(world, grade="B", donation=donation)
    available_a = make_device(world, grade="A")
    to_check = make_device(world, status=Status.TO_CHECK)
    tablet = make_device(world, kind=DeviceKind.TABLET)
    url = reverse("equipment:device_list")

    page = results(clients["staff_a"].get(url, {"status": "to_check"}))
    assert to_check.serial_number in page and available_a.serial_number not in page
    page = results(clients["staff_a"].get(url, {"kind": "tablet"}))
    assert tablet.serial_number in page and available_b.serial_number not in page
    page = results(clients["staff_a"].get(url, {"status": "available", "grade": "A"}))
    assert available_a.serial_number in page and available_b.serial_number not in page
    page = results(clients["staff_a"].get(url, {"donation": donation.reference.lower()}))
    assert available_b.serial_number in page and available_a.serial_number not in page
    page = results(clients["staff_a"].get(url, {"donation": "DON-1999-99999"}))
    assert "SN" not in page and "Aucun résultat" in page


def test_place_filter_shows_devices_on_their_way(world, clients):
    on_shelf = make_device(world)
    travelling = make_device(world, status=Status.BACK_FROM_WORKSHOP, site=None)
    send_transfer(
        acting_user=world.users["refurbisher_contact"],
        scope=scope_for(world, "refurbisher_contact"),
        devices=[travelling],
        to_point=world.site_a,
        from_refurbisher=world.refurbisher,
    )
    page = results(clients["staff_a"].get(reverse("equipment:device_list"), {"place": "transit"}))
    assert travelling.serial_number in page and on_shelf.serial_number not in page
    assert "En transit vers Paris 19e" in page


def test_only_the_national_team_filters_by_reception_point(world, clients):
    at_a = make_device(world)
    at_b = make_device(world, site="b")
    admin = clients["admin"].get(
        reverse("equipment:device_list"), {"reception_point": world.site_b.pk}
    )
    assert "reception_point" in admin.context["filter"].form.fields
    page = results(admin)
    assert at_b.serial_number in page and at_a.serial_number not in page
    staff = clients["staff_a"].get(
        reverse("equipment:device_list"), {"reception_point": world.site_b.pk}
    )
    assert "reception_point" not in staff.context["filter"].form.fields
    # The parameter is ignored: the team still sees its own site only.
    page = results(staff)
    assert at_a.serial_number in page and at_b.serial_number not in page


def test_list_shows_status_in_french_and_todays_price(world, clients):
    make_prices()
    make_device(world, grade="B")
    make_device(world, status=Status.TO_REPAIR, grade="")
    page = results(clients["staff_a"].get(reverse("equipment:device_list")))
    assert '<span class="badge">Disponible</span>' in page
    assert '<span class="badge">À réparer</span>' in page
    assert "90,00 €" in page


def test_bad_filter_values_do_not_break_the_list(world, clients):
    make_device(world)
    response = clients["staff_a"].get(
        reverse("equipment:device_list"), {"status": "volé", "kind": "fusée", "q": "x" * 500}
    )
    assert response.status_code == 200


def test_device_list_query_count_does_not_grow_with_rows(world, clients):
    make_prices()

    def queries(role: str) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert clients[role].get(reverse("equipment:device_list")).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    make_device(world)
    few = {role: queries(role) for role in ("staff_a", "admin", "refurbisher_contact")}
    statuses = [Status.AVAILABLE, Status.TO_CHECK, Status.RESERVED, Status.SOLD, Status.TO_REPAIR]
    for i in range(15):
        status = statuses[i % 5]
        if status == Status.RESERVED:
            continue  # a reservation needs a person; the other statuses are enough here
        make_device(world, status=status, site="a" if i % 3 else "b", grade="ABC"[i % 3])
    travelling = make_device(world, status=Status.BACK_FROM_WORKSHOP, site=None)
    send_transfer(
        acting_user=world.users["refurbisher_contact"],
        scope=scope_for(world, "refurbisher_contact"),
        devices=[travelling],
        to_point=world.site_a,
        from_refurbisher=world.refurbisher,
    )
    for role in ("staff_a", "admin", "refurbisher_contact"):
        many = queries(role)
        assert len(few[role]) == len(many), role
        # LazyPaginator: no COUNT(*) over the devices.
        assert not [sql for sql in many if "COUNT(" in sql.upper() and "equipment_device" in sql]


# --- Device page ---------------------------------------------------------------------------------


def test_device_page_shows_specs_origin_and_todays_price(world, clients):
    make_prices()
    device = make_device(world, grade="B")
    page = clients["volunteer_a"].get(detail_url(device)).content.decode()
    assert device.serial_number in page
    assert "Prix solidaire aujourd'hui : 90,00 €" in page
    assert device.donation.reference in page and "Atelier Exemple" in page
    assert "85 %" in page and "Intel Core i5-8350U" in page
    assert '<span class="badge">Disponible</span>' in page


def test_device_page_says_when_no_price_is_set(world, clients):
    device = make_device(world)
    page = clients["staff_a"].get(detail_url(device)).content.decode()
    assert "Pas de prix fixé pour ce type et ce grade" in page


def test_a_price_change_applies_from_its_date(world, clients):
    make_prices(date(2025, 1, 1))
    Price.objects.create(
        kind=DeviceKind.LAPTOP,
        grade="B",
        amount=Decimal("75"),
        valid_from=timezone.localdate() - timedelta(days=1),
    )
    Price.objects.create(
        kind=DeviceKind.LAPTOP,
        grade="B",
        amount=Decimal("60"),
        valid_from=timezone.localdate() + timedelta(days=10),
    )
    device = make_device(world, grade="B")
    page = clients["staff_a"].get(detail_url(device)).content.decode()
    assert "75,00 €" in page and "90,00 €" not in page and "60,00 €" not in page


@pytest.fixture
def reserved(world):
    person = make_beneficiary(world)
    device = make_device(world)
    reserve(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=device,
        beneficiary=person,
    )
    return device, person


def test_site_staff_see_for_whom_a_device_is_reserved(world, clients, reserved):
    device, person = reserved
    for role in ("staff_a", "manager_a"):
        page = clients[role].get(detail_url(device)).content.decode()
        assert person.full_name in page
        assert (
            reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": person.public_id})
            in page
        )


@pytest.mark.parametrize("role", ["volunteer_a", "refurbisher_contact", "admin"])
def test_others_never_see_the_person_a_device_is_reserved_for(world, clients, reserved, role):
    device, person = reserved
    page = clients[role].get(detail_url(device)).content.decode()
    assert "Réservé jusqu'au" in page
    assert person.full_name not in page and person.last_name not in page
    assert str(person.public_id) not in page


def test_device_page_lists_erasures_checks_and_history(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    record_check(
        acting_user=world.users["volunteer_a"],
        scope=scope_for(world, "volunteer_a"),
        device=device,
        answers={p.value: CheckAnswer.OK for p in CheckPoint} | {"wifi": CheckAnswer.FAIL},
        battery_health=80,
        comment="Carte wifi morte",
    )
    page = clients["staff_a"].get(detail_url(device)).content.decode()
    assert "Blancco Drive Eraser" in page and "Réussi" in page
    assert "Victor Volunteer" in page and "Carte wifi morte" in page
    assert "Wi-Fi" in page  # the failed point
    assert "À contrôler → À réparer" in page
    assert "Contrôle : Wi-Fi · Carte wifi morte" in page


def test_status_form_offers_only_the_moves_this_person_may_make(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    form = clients["staff_a"].get(detail_url(device)).context["status_form"]
    offered = [value for value, _ in form.fields["to_status"].choices]
    assert offered == ["to_repair", "spare_parts", "recycled"]  # never "available" by hand
    assert clients["volunteer_a"].get(detail_url(device)).context["status_form"] is None
    assert clients["refurbisher_contact"].get(detail_url(device)).context["status_form"] is None

    at_workshop = make_device(world, status=Status.AT_REFURBISHER, site=None)
    form = clients["refurbisher_contact"].get(detail_url(at_workshop)).context["status_form"]
    offered = [value for value, _ in form.fields["to_status"].choices]
    assert offered == ["back_from_workshop", "spare_parts", "recycled"]


def test_erasure_link_only_for_those_who_may_record_one(world, clients):
    device = make_device(world)
    link = erasure_url(device)
    assert link in clients["staff_a"].get(detail_url(device)).content.decode()
    assert link in clients["refurbisher_contact"].get(detail_url(device)).content.decode()
    assert link not in clients["volunteer_a"].get(detail_url(device)).content.decode()


def test_device_without_erasure_is_flagged(world, clients):
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    page = clients["staff_a"].get(detail_url(device)).content.decode()
    assert "Aucun effacement des données enregistré" in page


def test_another_sites_device_is_not_found(world, clients):
    device = make_device(world, site="b")
    assert clients["staff_a"].get(detail_url(device)).status_code == 404
    assert (
        clients["refurbisher_contact"].get(detail_url(other_workshop_device(world))).status_code
        == 404
    )


def test_device_page_query_count_does_not_grow(world, clients):
    make_prices()

    def count(device: Device) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert clients["manager_a"].get(detail_url(device)).status_code == 200
        return len(ctx.captured_queries)

    person = make_beneficiary(world)
    small = make_device(world)
    reserve(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=small,
        beneficiary=person,
    )
    big = make_device(world, status=Status.TO_CHECK)
    for i in range(3):
        ErasureRecord.objects.create(
            device=big,
            method=ErasureMethod.CRYPTO_ERASE,
            tool=f"Outil {i}",
            performed_on=date(2026, 1, 1 + i),
            operator="Atelier",
            result=ErasureResult.FAILURE,
        )
    volunteer = scope_for(world, "volunteer_a")
    manager = scope_for(world, "manager_a")
    for i in range(3):
        record_check(
            acting_user=volunteer.user,
            scope=volunteer,
            device=big,
            answers={p.value: CheckAnswer.OK for p in CheckPoint} | {"sound": CheckAnswer.FAIL},
            battery_health=80,
            comment=f"Panne {i}",
        )
        services.change_status(
            acting_user=manager.user, scope=manager, device=big, to_status=Status.TO_CHECK
        )
    assert DeviceEvent.objects.filter(device=big).count() == 7
    assert DeviceCheck.objects.filter(device=big).count() == 3
    reserve(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=make_device(world),
        beneficiary=person,
    )
    assert count(big) <= count(small)
    assert count(big) <= 10


# --- Status change -------------------------------------------------------------------------------


def test_staff_send_a_device_to_repair_with_a_reason(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    response = clients["staff_a"].post(
        status_url(device), {"to_status": "to_repair", "reason": "Écran fissuré"}, follow=True
    )
    assert response.redirect_chain[-1][0] == detail_url(device)
    assert "L'appareil est maintenant « À réparer »." in messages_of(response)
    device.refresh_from_db()
    assert device.status == Status.TO_REPAIR
    event = device.events.order_by("-id").first()
    assert event is not None
    assert (event.from_status, event.to_status, event.reason) == (
        "to_check",
        "to_repair",
        "Écran fissuré",
    )
    assert event.actor == world.users["staff_a"]


def test_a_reason_is_required_for_repair_and_recycling(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    response = clients["staff_a"].post(status_url(device), {"to_status": "recycled", "reason": " "})
    assert response.status_code == 400
    assert "Indiquez le motif de ce changement." in response.content.decode()
    assert Device.objects.get(pk=device.pk).status == Status.TO_CHECK
    assert device.events.count() == 1


def test_a_move_that_is_not_offered_is_refused(world, clients):
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    response = clients["staff_a"].post(status_url(device), {"to_status": "available"})
    assert response.status_code == 400
    assert Device.objects.get(pk=device.pk).status == Status.TO_CHECK


def test_a_refused_move_says_why_and_saves_nothing(world, clients):
    device = make_device(world, status=Status.SOLD)
    Device.objects.filter(pk=device.pk).update(sold_at=timezone.now() - timedelta(days=250))
    response = clients["staff_a"].post(
        status_url(device), {"to_status": "after_sales", "reason": "Ne démarre plus"}, follow=True
    )
    assert response.redirect_chain[-1][0] == detail_url(device)
    assert any("La garantie de 6 mois est dépassée" in m for m in messages_of(response))
    assert Device.objects.get(pk=device.pk).status == Status.SOLD
    assert device.events.count() == 1


def test_a_final_status_cannot_be_changed_by_hand(world, clients):
    device = make_device(world, status=Status.RECYCLED)
    response = clients["staff_a"].post(status_url(device), {"to_status": "to_check"}, follow=True)
    assert "Le statut « Recyclage (DEEE) » ne se change pas à la main." in messages_of(response)
    assert Device.objects.get(pk=device.pk).status == Status.RECYCLED


def test_the_workshop_moves_its_devices_at_the_workshop(world, clients):
    device = make_device(world, status=Status.RECEIVED, site=None)
    clients["refurbisher_contact"].post(status_url(device), {"to_status": "at_refurbisher"})
    assert Device.objects.get(pk=device.pk).status == Status.AT_REFURBISHER


@pytest.mark.parametrize(("role", "code"), [("volunteer_a", 403), ("staff_b", 404)])
def test_others_cannot_change_a_status(world, clients, role, code):
    device = make_device(world, status=Status.TO_CHECK)
    response = clients[role].post(status_url(device), {"to_status": "to_repair", "reason": "x"})
    assert response.status_code == code
    assert Device.objects.get(pk=device.pk).status == Status.TO_CHECK


def test_status_change_is_post_only(world, clients):
    device = make_device(world, status=Status.TO_CHECK)
    assert clients["staff_a"].get(status_url(device)).status_code == 405


# --- Erasure records -----------------------------------------------------------------------------


def test_workshop_records_an_erasure_with_its_certificate(world, clients):
    device = make_device(world, status=Status.AT_REFURBISHER, site=None, erased=False)
    response = clients["refurbisher_contact"].post(
        erasure_url(device), erasure_post(certificate=pdf())
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(device)
    erasure = ErasureRecord.objects.get(device=device)
    assert erasure.result == ErasureResult.SUCCESS
    assert erasure.recorded_by == world.users["refurbisher_contact"]
    assert erasure.certificate.read() == PDF_BYTES
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="equipment.erasurerecord"
    ).exists()


def test_an_erasure_may_come_without_certificate(world, clients):
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    response = clients["staff_a"].post(erasure_url(device), erasure_post())
    assert response.status_code == 302
    assert not ErasureRecord.objects.get(device=device).certificate


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            pdf(content=b"Bonjour, ceci est un texte"),
            "Ce fichier n'est pas un PDF valide : enregistrez le certificat au format PDF.",
        ),
        (pdf(name="certificat.docx"), "Le certificat doit être un fichier PDF (.pdf)."),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(world, clients, upload, message):
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    upload.seek(0)
    response = clients["staff_a"].post(erasure_url(device), erasure_post(certificate=upload))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "rien n'a été enregistré" in " ".join(messages_of(response))
    assert not ErasureRecord.objects.filter(device=device).exists()


def test_a_too_big_certificate_is_refused(world, clients, settings):
    settings.EQUIPMENT_CERTIFICATE_MAX_BYTES = 1024 * 1024
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    big = pdf(content=PDF_BYTES + b"0" * (1024 * 1024))
    response = clients["staff_a"].post(erasure_url(device), erasure_post(certificate=big))
    assert response.status_code == 400
    assert "Le fichier est trop lourd : 1 Mo au maximum." in response.content.decode()
    assert not ErasureRecord.objects.filter(device=device).exists()


def test_missing_fields_and_future_dates_are_refused(world, clients):
    device = make_device(world, status=Status.TO_CHECK, erased=False)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = clients["staff_a"].post(
        erasure_url(device), erasure_post(tool="", performed_on=tomorrow)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page
    assert "La date de l&#x27;effacement ne peut pas être dans le futur." in page
    assert not ErasureRecord.objects.filter(device=device).exists()


def test_site_staff_record_erasures_only_for_devices_on_their_shelves(world, clients):
    sold = make_device(world, status=Status.SOLD)
    assert clients["staff_a"].get(erasure_url(sold)).status_code == 403
    assert clients["staff_a"].post(erasure_url(sold), erasure_post()).status_code == 403
    assert clients["volunteer_a"].get(erasure_url(make_device(world))).status_code == 403
    assert (
        clients["staff_b"].post(erasure_url(make_device(world)), erasure_post()).status_code == 404
    )
    assert ErasureRecord.objects.filter(device=sold).count() == 1  # the factory's


def _with_certificate(world, site="a") -> ErasureRecord:
    from django.core.files.base import ContentFile

    device = make_device(world, site=site, erased=False)
    return ErasureRecord.objects.create(
        device=device,
        method=ErasureMethod.OVERWRITE,
        tool="Blancco",
        performed_on=date(2026, 1, 5),
        operator="Atelier",
        result=ErasureResult.SUCCESS,
        certificate=ContentFile(PDF_BYTES, name="certificat.pdf"),
    )


def test_the_certificate_is_downloaded_as_a_pdf(world, clients):
    erasure = _with_certificate(world)
    url = reverse("equipment:erasure_certificate", kwargs={"pk": erasure.pk})
    assert url in clients["staff_a"].get(detail_url(erasure.device)).content.decode()
    response = clients["volunteer_a"].get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert erasure.device.serial_number in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_certificates_of_other_sites_or_without_file_are_not_found(world, clients):
    elsewhere = _with_certificate(world, site="b")
    url = reverse("equipment:erasure_certificate", kwargs={"pk": elsewhere.pk})
    assert clients["staff_a"].get(url).status_code == 404
    no_file = make_device(world).erasures.get()
    url = reverse("equipment:erasure_certificate", kwargs={"pk": no_file.pk})
    assert clients["staff_a"].get(url).status_code == 404


def test_the_media_folder_is_not_served(world, clients, settings):
    erasure = _with_certificate(world)
    response = clients["admin"].get(settings.MEDIA_URL + erasure.certificate.name)
    assert response.status_code == 404
