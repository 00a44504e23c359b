"""Transfers between places and the periodic stock count, through their pages."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solidarnum.common.errors import ServiceError
from solidarnum.equipment.enums import DeviceKind, Status, StockCountStatus, TransferStatus
from solidarnum.equipment.logistics import services
from solidarnum.equipment.models import (
    Device,
    ImportBatch,
    StockCount,
    StockCountScan,
    Transfer,
    TransferItem,
)
from solidarnum.network.models import RefurbishingPartner
from tests.conftest import make_company
from tests.equipment.factories import VALID_IMEIS, make_device, make_donation
from tests.pages import messages_of

from .matrix import scope_for, site_transfer, stock_count_a, transfer_with_gap, workshop_transfer

CREATE = reverse("equipment:transfer_create")
LIST = reverse("equipment:transfer_list")
COUNTS = reverse("equipment:stock_count_list")
START = reverse("equipment:stock_count_start")


def detail(transfer: Transfer) -> str:
    return reverse("equipment:transfer_detail", kwargs={"pk": transfer.pk})


def receive(transfer: Transfer) -> str:
    return reverse("equipment:transfer_receive", kwargs={"pk": transfer.pk})


def late(transfer: Transfer, device: Device) -> str:
    return reverse(
        "equipment:transfer_receive_late", kwargs={"pk": transfer.pk, "device_pk": device.pk}
    )


def count_url(name: str, count: StockCount) -> str:
    return reverse(name, kwargs={"pk": count.pk})


def html(response) -> str:
    return response.content.decode()


def at_workshop(world, n: int = 1, **extra) -> list[Device]:
    return [
        make_device(world, status=Status.BACK_FROM_WORKSHOP, site=None, **extra) for _ in range(n)
    ]


def reload(device: Device) -> Device:
    return Device.objects.get(pk=device.pk)


def assert_never_in_two_places() -> None:
    assert not Device.objects.filter(reception_point__isnull=False, transfer__isnull=False).exists()


def queries_for(client, url: str) -> int:
    client.get(url)  # warm-up: session and per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- Sending -----------------------------------------------------------------------------------


def test_refurbisher_sends_ready_devices_from_the_workshop_to_a_site(world, clients):
    first, second, staying = at_workshop(world, 3)
    page = html(clients["refurbisher_contact"].get(CREATE))
    assert all(d.serial_number in page for d in (first, second, staying))
    assert "Atelier Exemple (atelier)" in page

    response = clients["refurbisher_contact"].post(
        CREATE, {"to_point": world.site_a.pk, "devices": [first.pk, second.pk], "note": "2 cartons"}
    )

    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(transfer)
    assert transfer.from_refurbisher == world.refurbisher and transfer.from_point is None
    assert transfer.to_point == world.site_a
    assert transfer.status == TransferStatus.IN_TRANSIT
    assert transfer.note == "2 cartons"
    assert set(transfer.items.values_list("device_id", flat=True)) == {first.pk, second.pk}
    for device in (first, second):
        device = reload(device)
        assert device.transfer_id == transfer.pk and device.reception_point_id is None
        assert device.status == Status.BACK_FROM_WORKSHOP
    assert reload(staying).transfer_id is None
    assert_never_in_two_places()


def test_the_workshop_lists_only_its_own_devices_ready_to_leave(world, clients):
    ready = at_workshop(world)[0]
    still_in_repair = make_device(world, status=Status.AT_REFURBISHER, site=None)
    other = make_company(RefurbishingPartner, "Autre Atelier", 13)
    foreign = make_device(
        world,
        status=Status.BACK_FROM_WORKSHOP,
        site=None,
        donation=make_donation(world, refurbisher=other),
    )
    in_transit = workshop_transfer(world, n=1).items.get().device

    page = html(clients["refurbisher_contact"].get(CREATE))
    assert ready.serial_number in page
    for hidden in (still_in_repair, foreign, in_transit):
        assert hidden.serial_number not in page


def test_lot_preselects_the_devices_of_that_batch(world, clients):
    donation = make_donation(world)
    batch = ImportBatch.objects.create(
        refurbisher=world.refurbisher, donation=donation, file_name="lot.csv"
    )
    in_batch = at_workshop(world, 2, donation=donation, batch=batch)
    outside = at_workshop(world)[0]

    page = html(clients["refurbisher_contact"].get(CREATE, {"lot": batch.pk}))
    for device in in_batch:
        assert f'value="{device.pk}" id="device-{device.pk}" checked' in page
    assert outside.serial_number not in page
    assert batch.reference in page

    # Without a lot nothing is ticked in advance.
    page = html(clients["refurbisher_contact"].get(CREATE))
    assert " checked" not in page.split("<tbody>")[1]


def test_a_lot_of_another_workshop_or_a_bad_value_is_ignored_with_a_message(world, clients):
    at_workshop(world)
    response = clients["refurbisher_contact"].get(CREATE, {"lot": "abc"})
    assert response.status_code == 200
    other = make_company(RefurbishingPartner, "Autre Atelier", 13)
    donation = make_donation(world, refurbisher=other)
    foreign_batch = ImportBatch.objects.create(refurbisher=other, donation=donation, file_name="x")
    foreign = make_device(
        world, status=Status.BACK_FROM_WORKSHOP, site=None, donation=donation, batch=foreign_batch
    )
    response = clients["refurbisher_contact"].get(CREATE, {"lot": foreign_batch.pk})
    assert response.status_code == 200
    assert foreign.serial_number not in html(response)
    assert "Ce lot n&#x27;a aucun appareil prêt à partir d&#x27;ici." in html(response)


def test_refurbisher_cannot_send_another_workshops_device(world, clients):
    other = make_company(RefurbishingPartner, "Autre Atelier", 13)
    foreign = make_device(
        world,
        status=Status.BACK_FROM_WORKSHOP,
        site=None,
        donation=make_donation(world, refurbisher=other),
    )
    response = clients["refurbisher_contact"].post(
        CREATE, {"to_point": world.site_a.pk, "devices": [foreign.pk]}
    )
    assert response.status_code == 400
    assert "ne peut plus partir d&#x27;ici" in html(response)
    assert not Transfer.objects.exists()
    assert reload(foreign).transfer_id is None

    # The service refuses it too, whatever the form.
    with pytest.raises(ServiceError, match="pas prêt à partir de l'atelier"):
        services.send_transfer(
            acting_user=world.users["refurbisher_contact"],
            scope=scope_for(world, "refurbisher_contact"),
            devices=[foreign],
            to_point=world.site_a,
            from_refurbisher=world.refurbisher,
        )
    with pytest.raises(ServiceError, match="appareils de votre atelier"):
        services.send_transfer(
            acting_user=world.users["refurbisher_contact"],
            scope=scope_for(world, "refurbisher_contact"),
            devices=[foreign],
            to_point=world.site_a,
            from_refurbisher=other,
        )


def test_a_device_already_in_transit_cannot_be_sent_again(world, clients):
    transfer = workshop_transfer(world, n=1)
    device = transfer.items.get().device
    response = clients["refurbisher_contact"].post(
        CREATE, {"to_point": world.site_b.pk, "devices": [device.pk]}
    )
    assert response.status_code == 400
    assert Transfer.objects.count() == 1
    assert reload(device).transfer_id == transfer.pk
    with pytest.raises(ServiceError, match="déjà en cours de transfert"):
        services.send_transfer(
            acting_user=world.users["refurbisher_contact"],
            scope=scope_for(world, "refurbisher_contact"),
            devices=[reload(device)],
            to_point=world.site_b,
            from_refurbisher=world.refurbisher,
        )


def test_one_wrong_device_sends_nothing(world, clients):
    good = at_workshop(world)[0]
    bad = make_device(world, status=Status.AT_REFURBISHER, site=None)
    response = clients["refurbisher_contact"].post(
        CREATE, {"to_point": world.site_a.pk, "devices": [good.pk, bad.pk]}
    )
    assert response.status_code == 400
    assert not Transfer.objects.exists()
    assert reload(good).transfer_id is None
    # What was ticked stays ticked for the next try.
    assert f'value="{good.pk}" id="device-{good.pk}" checked' in html(response)


def test_sending_needs_a_destination_and_a_device(world, clients):
    at_workshop(world)
    response = clients["refurbisher_contact"].post(CREATE, {})
    assert response.status_code == 400
    page = html(response)
    assert "Choisissez le point d&#x27;accueil de destination." in page
    assert "Cochez au moins un appareil à envoyer." in page
    assert "Rien n'a été envoyé : corrigez ce qui est indiqué." in messages_of(response)
    assert not Transfer.objects.exists()


def test_site_staff_send_from_their_site_to_another(world, clients):
    available, to_repair = make_device(world), make_device(world, status=Status.TO_REPAIR)
    reserved_elsewhere = make_device(world, site="b")
    sold = make_device(world, status=Status.SOLD)
    page = html(clients["staff_a"].get(CREATE))
    assert available.serial_number in page and to_repair.serial_number in page
    assert reserved_elsewhere.serial_number not in page and sold.serial_number not in page
    # A site does not send to itself.
    assert f'<option value="{world.site_a.pk}"' not in page

    refused = clients["staff_a"].post(
        CREATE, {"to_point": world.site_a.pk, "devices": [available.pk]}
    )
    assert refused.status_code == 400 and not Transfer.objects.exists()

    response = clients["staff_a"].post(
        CREATE, {"to_point": world.site_b.pk, "devices": [available.pk, to_repair.pk]}
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.from_point == world.site_a and transfer.to_point == world.site_b
    assert transfer.sent_by == world.users["staff_a"]
    for device in (available, to_repair):
        assert reload(device).reception_point_id is None
        assert reload(device).transfer_id == transfer.pk
    assert_never_in_two_places()


def test_site_staff_cannot_send_another_sites_device(world, clients):
    elsewhere = make_device(world, site="b")
    response = clients["staff_a"].post(
        CREATE, {"to_point": world.site_b.pk, "devices": [elsewhere.pk]}
    )
    assert response.status_code == 400
    assert not Transfer.objects.exists()


def test_the_national_team_chooses_the_origin_first(world, clients):
    device = at_workshop(world)[0]
    page = html(clients["admin"].get(CREATE))
    assert "Départ des appareils" in page
    assert f"workshop:{world.refurbisher.pk}" in page and f"site:{world.site_a.pk}" in page

    assert clients["admin"].get(CREATE, {"origin": "site:999999"}).status_code == 400
    assert clients["admin"].get(CREATE, {"origin": "n'importe quoi"}).status_code == 400

    origin = f"workshop:{world.refurbisher.pk}"
    assert device.serial_number in html(clients["admin"].get(CREATE, {"origin": origin}))
    response = clients["admin"].post(
        f"{CREATE}?origin={origin}", {"to_point": world.site_b.pk, "devices": [device.pk]}
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.from_refurbisher == world.refurbisher
    assert transfer.sent_by == world.users["admin"]


def test_the_national_team_coming_from_a_batch_sends_from_its_workshop(world, clients):
    donation = make_donation(world)
    batch = ImportBatch.objects.create(
        refurbisher=world.refurbisher, donation=donation, file_name="lot.csv"
    )
    device = at_workshop(world, donation=donation, batch=batch)[0]
    page = html(clients["admin"].get(CREATE, {"lot": batch.pk}))
    assert "Atelier Exemple (atelier)" in page
    assert f'value="{device.pk}" id="device-{device.pk}" checked' in page
    assert f'name="origin" value="workshop:{world.refurbisher.pk}"' in page


# --- Receiving ---------------------------------------------------------------------------------


def test_site_staff_receive_everything_and_workshop_devices_are_to_check(world, clients):
    transfer = workshop_transfer(world, n=2)
    devices = [item.device for item in transfer.items.all()]
    page = html(clients["staff_a"].get(detail(transfer)))
    assert "Valider la réception" in page
    # Every box is ticked by default.
    for device in devices:
        assert f'id="received-{device.pk}" checked' in page

    response = clients["staff_a"].post(
        receive(transfer), {"received": [d.pk for d in devices]}, follow=True
    )

    assert response.redirect_chain[-1][0] == detail(transfer)
    assert "Réception validée : 2 appareils sont arrivés à Paris 19e." in messages_of(response)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED
    assert transfer.received_by == world.users["staff_a"]
    for device in devices:
        device = reload(device)
        assert device.reception_point_id == world.site_a.pk and device.transfer_id is None
        assert device.status == Status.TO_CHECK
        assert device.events.filter(to_status=Status.TO_CHECK).exists()
    assert set(TransferItem.objects.values_list("received", flat=True)) == {True}
    assert "Valider la réception" not in html(response)


def test_a_missing_device_needs_a_note_and_stays_in_transit(world, clients):
    transfer = workshop_transfer(world, n=2)
    arrived, missing = (item.device for item in transfer.items.order_by("device_id"))

    refused = clients["staff_a"].post(receive(transfer), {"received": [arrived.pk]})
    assert refused.status_code == 400
    assert "1 appareil non coché : décrivez l&#x27;écart" in html(refused)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.IN_TRANSIT
    assert reload(arrived).transfer_id == transfer.pk
    # The unticked box stays unticked on the page shown again.
    assert f'id="received-{missing.pk}">' in html(refused)
    assert f'id="received-{arrived.pk}" checked' in html(refused)

    response = clients["staff_a"].post(
        receive(transfer),
        {"received": [arrived.pk], "discrepancy_note": "Un carton n'est pas arrivé"},
        follow=True,
    )
    assert "Réception validée avec un écart : 1 appareil manquant." in messages_of(response)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DISCREPANCY
    assert transfer.discrepancy_note == "Un carton n'est pas arrivé"
    arrived, missing = reload(arrived), reload(missing)
    assert arrived.reception_point_id == world.site_a.pk and arrived.status == Status.TO_CHECK
    assert missing.reception_point_id is None and missing.transfer_id == transfer.pk
    assert missing.status == Status.BACK_FROM_WORKSHOP
    assert_never_in_two_places()
    page = html(response)
    assert "Reçu avec écart" in page and "Manquant" in page and "Finalement reçu" in page


def test_a_missing_device_can_be_received_late(world, clients):
    transfer, missing = transfer_with_gap(world)
    response = clients["staff_a"].post(late(transfer, missing), follow=True)
    assert (
        f"{missing.serial_number} finalement reçu : il est maintenant dans le stock de Paris 19e."
        in messages_of(response)
    )
    missing = reload(missing)
    assert missing.reception_point_id == world.site_a.pk and missing.transfer_id is None
    assert missing.status == Status.TO_CHECK
    assert TransferItem.objects.get(device=missing).received is True
    assert "Finalement reçu" not in html(response)

    again = clients["staff_a"].post(late(transfer, missing))
    assert again.status_code == 400
    assert "Cet appareil n'est pas en écart sur ce transfert." in messages_of(again)
    assert_never_in_two_places()


def test_late_reception_of_a_device_of_another_transfer_is_not_found(world, clients):
    transfer, _missing = transfer_with_gap(world)
    other = workshop_transfer(world, n=1).items.get().device
    assert clients["staff_a"].post(late(transfer, other)).status_code == 404
    assert reload(other).transfer_id is not None


def test_only_the_destination_receives_in_both_directions(world, clients):
    a_to_b = site_transfer(world, from_site="a")
    b_to_a = site_transfer(world, from_site="b")

    # staff_b is the destination of a_to_b: they receive it.
    assert "Valider la réception" in html(clients["staff_b"].get(detail(a_to_b)))
    ids = list(a_to_b.items.values_list("device_id", flat=True))
    assert clients["staff_b"].post(receive(a_to_b), {"received": ids}).status_code == 302
    assert set(Device.objects.filter(pk__in=ids).values_list("reception_point_id", "status")) == {
        (world.site_b.pk, Status.AVAILABLE)
    }

    # staff_b sent b_to_a: they see it but cannot receive it.
    page = html(clients["staff_b"].get(detail(b_to_a)))
    assert "Valider la réception" not in page and b_to_a.reference in page
    ids = list(b_to_a.items.values_list("device_id", flat=True))
    assert clients["staff_b"].post(receive(b_to_a), {"received": ids}).status_code == 403
    b_to_a.refresh_from_db()
    assert b_to_a.status == TransferStatus.IN_TRANSIT

    # And staff_a, the sender of a_to_b, cannot receive it either.
    a_to_b_again = site_transfer(world, from_site="a")
    ids = list(a_to_b_again.items.values_list("device_id", flat=True))
    assert clients["staff_a"].post(receive(a_to_b_again), {"received": ids}).status_code == 403
    assert clients["staff_a"].post(receive(b_to_a), {"received": ids[:0]}).status_code == 400


def test_staff_b_cannot_see_or_receive_a_workshop_transfer_to_site_a(world, clients):
    transfer = workshop_transfer(world)
    ids = list(transfer.items.values_list("device_id", flat=True))
    assert clients["staff_b"].get(detail(transfer)).status_code == 404
    assert clients["staff_b"].post(receive(transfer), {"received": ids}).status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.IN_TRANSIT


def test_a_transfer_is_received_once(world, clients):
    transfer = workshop_transfer(world, n=1)
    ids = list(transfer.items.values_list("device_id", flat=True))
    clients["staff_a"].post(receive(transfer), {"received": ids})
    again = clients["staff_a"].post(receive(transfer), {"received": ids})
    assert again.status_code == 400
    assert "Ce transfert a déjà été réceptionné." in messages_of(again)


def test_a_device_outside_the_transfer_cannot_be_ticked(world, clients):
    transfer = workshop_transfer(world, n=1)
    stranger = make_device(world)
    response = clients["staff_a"].post(receive(transfer), {"received": [stranger.pk]})
    assert response.status_code == 400
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.IN_TRANSIT


# --- The list ----------------------------------------------------------------------------------


def rows_of(response) -> str:
    page = html(response)
    return page[page.index("<tbody") :]


def test_site_list_shows_what_to_receive_first_with_filters(world, clients):
    outgoing = site_transfer(world, from_site="a", n=1)
    incoming = workshop_transfer(world, n=3)
    received_one = workshop_transfer(world, n=1)
    services.receive_transfer(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        transfer=received_one,
        received_ids=list(received_one.items.values_list("device_id", flat=True)),
    )
    elsewhere = workshop_transfer(world, n=1, to="b")

    rows = rows_of(clients["staff_a"].get(LIST))
    assert elsewhere.reference not in rows
    # The newest is `received_one`, but what is still to receive comes first.
    assert rows.index(incoming.reference) < rows.index(received_one.reference)
    assert rows.index(incoming.reference) < rows.index(outgoing.reference)
    assert "À réceptionner" in rows and "Atelier Exemple (atelier)" in rows
    assert '<td data-label="Appareils" class="nowrap">3</td>' in rows

    only_out = rows_of(clients["staff_a"].get(LIST, {"direction": "outgoing"}))
    assert outgoing.reference in only_out and incoming.reference not in only_out
    only_in = rows_of(clients["staff_a"].get(LIST, {"direction": "incoming"}))
    assert incoming.reference in only_in and outgoing.reference not in only_in
    done = rows_of(clients["staff_a"].get(LIST, {"status": TransferStatus.RECEIVED}))
    assert received_one.reference in done and incoming.reference not in done


def test_the_workshop_lists_only_what_it_sent(world, clients):
    mine = workshop_transfer(world)
    between_sites = site_transfer(world, from_site="a")
    page = html(clients["refurbisher_contact"].get(LIST))
    assert mine.reference in page and between_sites.reference not in page
    # A workshop has no "incoming" direction to filter on.
    assert 'name="direction"' not in page


def test_transfer_list_query_count_does_not_grow_with_rows(world, clients):
    for _ in range(2):
        workshop_transfer(world, n=2)
        site_transfer(world, from_site="b", n=1)
    few = queries_for(clients["staff_a"], LIST)
    for _ in range(4):
        workshop_transfer(world, n=3)
        site_transfer(world, from_site="a", n=2)
    assert queries_for(clients["staff_a"], LIST) == few
    assert queries_for(clients["admin"], LIST) == queries_for(clients["admin"], LIST)


@pytest.mark.parametrize("received", [False, True])
def test_transfer_detail_query_count_does_not_grow_with_devices(world, clients, received):
    small, big = workshop_transfer(world, n=2), workshop_transfer(world, n=7)
    if received:
        for transfer in (small, big):
            first = transfer.items.order_by("pk").first()
            services.receive_transfer(
                acting_user=world.users["staff_a"],
                scope=scope_for(world, "staff_a"),
                transfer=transfer,
                received_ids=[first.device_id],
                discrepancy_note="manquants",
            )
    assert queries_for(clients["staff_a"], detail(small)) == queries_for(
        clients["staff_a"], detail(big)
    )


def test_transfer_create_query_count_does_not_grow_with_devices(world, clients):
    donation = make_donation(world)
    batch = ImportBatch.objects.create(
        refurbisher=world.refurbisher, donation=donation, file_name="lot.csv"
    )
    at_workshop(world, 2, donation=donation, batch=batch)
    few = queries_for(clients["refurbisher_contact"], CREATE)
    with_lot = queries_for(clients["refurbisher_contact"], f"{CREATE}?lot={batch.pk}")
    at_workshop(world, 8, donation=donation, batch=batch)
    at_workshop(world, 3, kind=DeviceKind.SMARTPHONE)
    assert queries_for(clients["refurbisher_contact"], CREATE) == few
    assert queries_for(clients["refurbisher_contact"], f"{CREATE}?lot={batch.pk}") == with_lot


def test_the_list_of_devices_to_send_is_capped(world, clients, monkeypatch):
    monkeypatch.setattr("solidarnum.equipment.logistics.views.ELIGIBLE_CAP", 3)
    devices = at_workshop(world, 4)
    page = html(clients["refurbisher_contact"].get(CREATE))
    assert sum(d.serial_number in page for d in devices) == 3
    assert "Seuls les 3 premiers appareils sont affichés" in page
    phones = at_workshop(world, 1, kind=DeviceKind.SMARTPHONE)
    page = html(clients["refurbisher_contact"].get(CREATE, {"kind": DeviceKind.SMARTPHONE}))
    assert phones[0].serial_number in page and devices[0].serial_number not in page


# --- Stock counts ------------------------------------------------------------------------------


def test_staff_start_a_count_and_only_one_is_open_per_site(world, clients):
    page = html(clients["staff_a"].get(COUNTS))
    assert "Commencer un inventaire" in page

    response = clients["staff_a"].post(START)
    count = StockCount.objects.get()
    assert response.status_code == 302
    assert response["Location"] == count_url("equipment:stock_count_detail", count)
    assert count.reception_point == world.site_a and count.status == StockCountStatus.OPEN

    again = clients["manager_a"].post(START, follow=True)
    assert StockCount.objects.count() == 1
    assert (
        "Un inventaire est déjà en cours dans ce point d'accueil : terminez-le d'abord."
        in messages_of(again)
    )
    assert "Reprendre l'inventaire en cours" in html(clients["staff_a"].get(COUNTS))

    # Another site counts on its own.
    assert clients["staff_b"].post(START).status_code == 302
    assert StockCount.objects.filter(reception_point=world.site_b).count() == 1


def test_the_national_team_only_reads_counts(world, clients):
    count = stock_count_a(world)
    page = html(clients["admin"].get(COUNTS))
    assert "Commencer un inventaire" not in page and "l'équipe nationale consulte" in page
    assert clients["admin"].post(START).status_code == 403
    page = html(clients["admin"].get(count_url("equipment:stock_count_detail", count)))
    assert 'name="code"' not in page
    scan = clients["admin"].post(count_url("equipment:stock_count_scan", count), {"code": "X"})
    assert scan.status_code == 403
    assert not StockCountScan.objects.exists()


def scan(client, count: StockCount, code: str, **headers):
    return client.post(count_url("equipment:stock_count_scan", count), {"code": code}, **headers)


def test_scanning_tells_expected_unexpected_unknown_and_duplicate(world, clients):
    here = make_device(world)
    phone = make_device(world, kind=DeviceKind.SMARTPHONE, imei=VALID_IMEIS[0])
    elsewhere = make_device(world, site="b")
    count = stock_count_a(world)
    client = clients["staff_a"]

    response = scan(client, count, f" {here.serial_number.lower()} ")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert f"{here.serial_number} : attendu, compté." in messages_of(response)

    # An IMEI finds the phone; it is counted under its serial number.
    scan(client, count, VALID_IMEIS[0])
    assert StockCountScan.objects.filter(serial=phone.serial_number, device=phone).exists()

    response = scan(client, count, elsewhere.serial_number, follow=True)
    assert (
        f"{elsewhere.serial_number} : cet appareil n'est pas attendu dans ce stock, noté comme "
        "inattendu." in messages_of(response)
    )
    response = scan(client, count, "inconnu-42", follow=True)
    assert "INCONNU42 : numéro inconnu, noté comme inattendu." in messages_of(response)

    response = scan(client, count, here.serial_number, follow=True)
    assert response.status_code == 200
    assert f"{here.serial_number} est déjà compté." in messages_of(response)
    response = scan(client, count, "   ", follow=True)
    assert "Scannez ou tapez un numéro de série." in messages_of(response)
    assert StockCountScan.objects.filter(stock_count=count).count() == 4

    page = html(response)
    assert "Déjà scannés : 4 / attendus : 2" in page
    assert "attendu</span>" in page and "inattendu</span>" in page


def test_scanning_with_htmx_returns_only_the_scan_zone(world, clients):
    here = make_device(world)
    make_device(world)
    count = stock_count_a(world)
    response = scan(clients["staff_a"], count, here.serial_number, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = html(response)
    assert page.lstrip().startswith('<div id="scan-zone">')
    assert "<html" not in page and "<header" not in page
    assert f"{here.serial_number} : attendu, compté." in page
    assert "Déjà scannés : 1 / attendus : 2" in page
    # The field comes back empty and focused, ready for the next scan.
    assert 'id="scan-code"' in page and "autofocus" in page
    assert f'value="{here.serial_number}"' not in page

    duplicate = scan(clients["staff_a"], count, here.serial_number, HTTP_HX_REQUEST="true")
    assert duplicate.status_code == 200
    assert f"{here.serial_number} est déjà compté." in html(duplicate)
    assert "message-error" in html(duplicate)
    assert StockCountScan.objects.count() == 1


def test_closing_freezes_the_missing_and_the_unexpected(world, clients):
    scanned = make_device(world)
    missing = make_device(world, status=Status.TO_REPAIR)
    sold = make_device(world, status=Status.SOLD)  # not on the shelves: not expected
    elsewhere = make_device(world, site="b")
    count = stock_count_a(world)
    for code in (scanned.serial_number, elsewhere.serial_number, "ZZZ999"):
        scan(clients["staff_a"], count, code)

    response = clients["staff_a"].post(count_url("equipment:stock_count_close", count), follow=True)
    assert "Inventaire terminé : 1 manquant, 2 inattendus." in messages_of(response)
    count.refresh_from_db()
    assert count.status == StockCountStatus.CLOSED and count.closed_at is not None
    assert [row["id"] for row in count.missing] == [missing.pk]
    assert count.missing[0]["status"] == "À réparer"
    assert {(row["serial"], row["id"]) for row in count.unexpected} == {
        (elsewhere.serial_number, elsewhere.pk),
        ("ZZZ999", None),
    }
    page = html(response)
    assert missing.serial_number in page and "Lenovo ThinkPad T480" in page
    assert sold.serial_number not in page
    assert "Numéro inconnu" in page
    # The device of site B exists, but not in site A's scope: no link to it.
    assert "Enregistré ailleurs (hors de votre stock)" in page
    link = reverse("equipment:device_detail", kwargs={"pk": missing.pk})
    assert f'href="{link}"' in page
    assert reverse("equipment:device_detail", kwargs={"pk": elsewhere.pk}) not in page
    assert 'name="code"' not in page

    again = clients["staff_a"].post(count_url("equipment:stock_count_close", count), follow=True)
    assert "Cet inventaire est déjà terminé." in messages_of(again)
    late_scan = scan(clients["staff_a"], count, missing.serial_number, follow=True)
    assert "Cet inventaire est terminé." in messages_of(late_scan)
    assert not StockCountScan.objects.filter(serial=missing.serial_number).exists()


def test_stock_count_list_shows_numbers(world, clients):
    make_device(world)
    closed = stock_count_a(world)
    scan(clients["staff_a"], closed, "ZZZ1")
    clients["staff_a"].post(count_url("equipment:stock_count_close", closed))
    stock_count_a(world)
    services.start_stock_count(
        acting_user=world.users["staff_b"],
        scope=scope_for(world, "staff_b"),
        reception_point=world.site_b,
    )

    rows = rows_of(clients["staff_a"].get(COUNTS))
    assert rows.count("<tr>") == 2
    assert "Terminé" in rows and "En cours" in rows and "en cours" in rows
    assert "Créteil" not in rows
    admin_rows = rows_of(clients["admin"].get(COUNTS))
    assert admin_rows.count("<tr>") == 3 and "Créteil" in admin_rows


def _closed_count(world, clients, n: int) -> StockCount:
    count = stock_count_a(world)
    for i in range(n):
        scan(clients["staff_a"], count, f"INCONNU{i}")
    clients["staff_a"].post(count_url("equipment:stock_count_close", count))
    return count


def test_stock_count_list_query_count_does_not_grow_with_rows(world, clients):
    for n in (1, 2):
        _closed_count(world, clients, n)
    few = queries_for(clients["staff_a"], COUNTS)
    for n in (3, 1, 2, 4):
        _closed_count(world, clients, n)
    stock_count_a(world)
    assert queries_for(clients["staff_a"], COUNTS) == few


def test_stock_count_detail_query_count_does_not_grow_with_scans(world, clients):
    devices = [make_device(world) for _ in range(8)]
    others = [make_device(world, site="b") for _ in range(3)]
    count = stock_count_a(world)
    scan(clients["staff_a"], count, devices[0].serial_number)
    scan(clients["staff_a"], count, others[0].serial_number)
    url = count_url("equipment:stock_count_detail", count)
    few = queries_for(clients["staff_a"], url)
    for device in [*devices[1:6], *others[1:]]:
        scan(clients["staff_a"], count, device.serial_number)
    scan(clients["staff_a"], count, "INCONNU")
    assert queries_for(clients["staff_a"], url) == few

    # The frozen results too: more gaps, same queries.
    clients["staff_a"].post(count_url("equipment:stock_count_close", count))
    closed_many = queries_for(clients["staff_a"], url)
    small = _closed_count(world, clients, 0)
    assert (
        queries_for(clients["staff_a"], count_url("equipment:stock_count_detail", small))
        == closed_many
    )


def test_staff_b_cannot_touch_site_as_count(world, clients):
    count = stock_count_a(world)
    device = make_device(world)
    assert scan(clients["staff_b"], count, device.serial_number).status_code == 404
    assert (
        clients["staff_b"].post(count_url("equipment:stock_count_close", count)).status_code == 404
    )
    count.refresh_from_db()
    assert count.status == StockCountStatus.OPEN and not count.scans.exists()


def test_no_device_is_ever_in_two_places_after_a_full_round(world, clients):
    transfer, missing = transfer_with_gap(world)
    clients["staff_a"].post(late(transfer, missing))
    onward = site_transfer(world, from_site="a", n=2)
    clients["staff_b"].post(
        receive(onward), {"received": list(onward.items.values_list("device_id", flat=True))}
    )
    assert_never_in_two_places()
    assert not Device.objects.filter(
        Q(transfer__isnull=False)
        & ~Q(transfer__status=TransferStatus.IN_TRANSIT)
        & ~Q(transfer__status=TransferStatus.DISCREPANCY)
    ).exists()
