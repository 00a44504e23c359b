"""The receipt sent to the buyer by SMS, through notifications: in their language, never a
secret code, followed in the delivery log and on the person's file."""

import pytest
from django.urls import reverse

from solidarnum.notifications.enums import Channel, MessageStatus
from solidarnum.notifications.models import Message
from solidarnum.sales.models import Receipt
from tests.connectivity.factories import make_codes, make_offer, secret_of
from tests.sales.factories import make_person, open_till, sell


@pytest.fixture
def sold(world):
    offer = make_offer()
    codes = make_codes(offer, world.site_a, 1)
    person = make_person(world, languages=["uk"])
    sale = sell(world, open_till(world), person, offers=(offer,))
    return {"receipt": Receipt.objects.get(sale=sale), "person": person, "code": codes[0]}


def test_the_receipt_goes_by_sms_in_the_persons_language_without_the_secret(
    sold, clients, sms_outbox, django_capture_on_commit_callbacks
):
    receipt = sold["receipt"]
    page = clients["staff_a"].get(reverse("sales:receipt", kwargs={"number": receipt.number}))
    assert "Envoyer le ticket par SMS" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["staff_a"].post(
            reverse("sales:receipt_sms", kwargs={"number": receipt.number})
        )
    assert response.status_code == 302
    message = Message.objects.get(template="sales.receipt")
    assert message.channel == Channel.SMS and message.language == "uk"
    assert message.beneficiary_id == sold["person"].pk
    assert message.status == MessageStatus.SENT
    (sent,) = sms_outbox.sent
    assert receipt.number in sent.body and "Чек" in sent.body
    assert secret_of(sold["code"].serial) not in sent.body
    # The file's "Messages" section names it.
    file_page = clients["staff_a"].get(
        reverse("beneficiaries:beneficiary_detail", args=[sold["person"].public_id]),
        {"onglet": "messages"},
    )
    assert "Ticket de caisse envoyé à la personne" in file_page.content.decode()


def test_no_phone_no_sms(world, clients):
    offer = make_offer()
    make_codes(offer, world.site_a, 1)
    person = make_person(world, phone="", has_no_phone=True)
    receipt = Receipt.objects.get(sale=sell(world, open_till(world), person, offers=(offer,)))
    page = clients["staff_a"].get(reverse("sales:receipt", kwargs={"number": receipt.number}))
    assert "Envoyer le ticket par SMS" not in page.content.decode()
    response = clients["staff_a"].post(
        reverse("sales:receipt_sms", kwargs={"number": receipt.number}), follow=True
    )
    assert "pas de téléphone" in response.content.decode()
    assert not Message.objects.exists()


def test_another_site_cannot_send_it(sold, clients):
    number = sold["receipt"].number
    response = clients["staff_b"].post(reverse("sales:receipt_sms", kwargs={"number": number}))
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_an_exchange_from_the_sale_page_to_its_one_receipt(world, clients):
    from tests.equipment.factories import make_device, make_prices

    make_prices()
    device = make_device(world)
    sale = sell(world, open_till(world), make_person(world), devices=(device,))
    client = clients["staff_a"]
    page = client.get(reverse("sales:sale_detail", kwargs={"pk": sale.pk})).content.decode()
    assert "Échanger un appareil défectueux" in page
    spare = make_device(world, serial_number="SPARE-0042")
    form = {
        "line": sale.lines.get().pk,
        "device": "SPARE-0042",
        "method": "cash",
        "reason": "clavier hors service",
        "key": "5b0f8a52-3c1f-4a53-9a1e-3f4b2b8f6c11",
    }
    wrong = client.post(
        reverse("sales:sale_exchange", kwargs={"pk": sale.pk}),
        {**form, "device": "INCONNU"},
        follow=True,
    )
    assert "Aucun appareil disponible ici ne porte ce numéro" in wrong.content.decode()
    response = client.post(reverse("sales:sale_exchange", kwargs={"pk": sale.pk}), form)
    receipt = Receipt.objects.get(kind="exchange")
    assert response["Location"] == reverse("sales:receipt", kwargs={"number": receipt.number})
    shown = client.get(response["Location"]).content.decode()
    assert "Ticket d&#x27;échange" in shown and "rendu" in shown and "Différence" in shown
    spare.refresh_from_db()
    assert spare.status == "sold"


def test_the_manager_sets_the_receipt_prefix_and_numbers_go_on(world, clients):
    from solidarnum.sales.receipts.chain import verify_chain

    offer = make_offer()
    make_codes(offer, world.site_a, 2)
    session = open_till(world)
    first = Receipt.objects.get(sale=sell(world, session, make_person(world), offers=(offer,)))
    url = reverse("sales:receipt_prefix")
    manager = clients["manager_a"]
    page = manager.get(url).content.decode()
    assert first.number in page and first.number[:-1] + "2" in page
    refused = manager.post(url, {"receipt_prefix": "p-19 é"})
    assert refused.status_code == 400 and "2 à 8 lettres" in refused.content.decode()
    assert manager.post(url, {"receipt_prefix": "cre"}).status_code == 302
    second = Receipt.objects.get(sale=sell(world, session, make_person(world), offers=(offer,)))
    assert second.number == f"CRE-{first.year}-000002"
    assert verify_chain(world.site_a.pk) == (2, None)
    # A prefix another site holds is refused.
    from solidarnum.sales.receipts.chain import series_of

    taken = series_of(world.site_b.pk).prefix
    refused = manager.post(url, {"receipt_prefix": taken})
    assert refused.status_code == 400 and "déjà celui d" in refused.content.decode()
