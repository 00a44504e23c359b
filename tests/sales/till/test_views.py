"""The till through its pages: find, fill, pay, the receipt with its code shown once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code
from solidarnum.sales.models import Basket, Receipt, Sale
from tests.connectivity.factories import make_codes, make_offer, secret_of
from tests.equipment.factories import make_device, make_prices
from tests.pages import count_queries
from tests.sales.factories import make_market_prices, make_person, open_till


@pytest.fixture
def counter(world, clients):
    make_prices()
    make_market_prices()
    offer = make_offer()
    make_codes(offer, world.site_a, 3)
    return {
        "session": open_till(world),
        "offer": offer,
        "person": make_person(world, first_name="Amadou", last_name="Diallo"),
        "client": clients["staff_a"],
    }


def _basket(counter):
    client = counter["client"]
    response = client.post(
        reverse("sales:basket_start", kwargs={"pk": counter["session"].pk}),
        {"person": str(counter["person"].public_id)},
    )
    assert response.status_code == 302
    return Basket.objects.get(beneficiary=counter["person"])


def test_find_by_name_then_phone(counter):
    url = reverse("sales:sale_screen", kwargs={"pk": counter["session"].pk})
    page = counter["client"].get(url, {"q": "diallo amadou"}).content.decode()
    assert "Amadou Diallo" in page
    phone = str(counter["person"].phone)[-6:]
    assert "Amadou Diallo" in counter["client"].get(url, {"q": phone}).content.decode()
    nobody = counter["client"].get(url, {"q": "personne inconnue"}).content.decode()
    assert "Personne ne correspond" in nobody


def test_a_person_of_another_site_is_not_found(world, counter):
    other = make_person(world, site=world.site_b, first_name="Zoé", last_name="Martin")
    url = reverse("sales:sale_screen", kwargs={"pk": counter["session"].pk})
    assert "Zoé" not in counter["client"].get(url, {"q": "zoe martin"}).content.decode()
    response = counter["client"].post(
        reverse("sales:basket_start", kwargs={"pk": counter["session"].pk}),
        {"person": str(other.public_id)},
    )
    assert response.status_code == 302 and not Basket.objects.exists()


def test_the_banner_says_access_and_quotas(counter):
    counter["offer"].quota_per_30_days = 2
    counter["offer"].save()
    basket = _basket(counter)
    page = counter["client"].get(reverse("sales:basket", kwargs={"key": basket.key}))
    text = page.content.decode()
    assert "accès jusqu&#x27;au" in text or "accès jusqu'au" in text
    assert "Quotas sur 30 jours glissants" in text


def test_fill_pay_cash_and_see_the_code_once(counter):
    client = counter["client"]
    basket = _basket(counter)
    client.post(
        reverse("sales:basket_add", kwargs={"key": basket.key}), {"offer": counter["offer"].pk}
    )
    response = client.post(
        reverse("sales:basket_pay", kwargs={"key": basket.key}),
        {"method": "cash", "tendered": "5,00"},
    )
    assert response.status_code == 302
    sale = Sale.objects.get()
    receipt = Receipt.objects.get(sale=sale)
    assert response["Location"] == reverse("sales:receipt", kwargs={"number": receipt.number})
    page = client.get(response["Location"]).content.decode()
    assert "Vous économisez 2,00 €" in page and "rendu 1,00 €" in page
    assert "Montrer les codes secrets" in page
    code = Code.objects.get(status=CodeStatus.SOLD)
    assert secret_of(code.serial) not in page
    shown = client.post(reverse("sales:receipt_secrets", kwargs={"number": receipt.number}))
    assert secret_of(code.serial) in shown.content.decode()
    again = client.post(reverse("sales:receipt_secrets", kwargs={"number": receipt.number}))
    assert secret_of(code.serial) not in again.content.decode()
    assert "Montrer les codes secrets" not in client.get(response["Location"]).content.decode()
    # A second submission of the same basket lands on the same receipt.
    twice = client.post(
        reverse("sales:basket_pay", kwargs={"key": basket.key}),
        {"method": "cash", "tendered": "5,00"},
    )
    assert twice["Location"] == response["Location"] and Sale.objects.count() == 1


def test_the_receipt_pdfs(counter):
    client = counter["client"]
    basket = _basket(counter)
    client.post(
        reverse("sales:basket_add", kwargs={"key": basket.key}), {"offer": counter["offer"].pk}
    )
    client.post(reverse("sales:basket_pay", kwargs={"key": basket.key}), {"method": "card"})
    number = Receipt.objects.get().number
    for size in ("a4", "ticket"):
        response = client.get(reverse("sales:receipt_pdf", kwargs={"number": number, "size": size}))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/caisse/tickets/{number}/a5.pdf").status_code == 404


def test_bad_payment_says_why_and_sells_nothing(counter):
    client = counter["client"]
    basket = _basket(counter)
    client.post(
        reverse("sales:basket_add", kwargs={"key": basket.key}), {"offer": counter["offer"].pk}
    )
    response = client.post(
        reverse("sales:basket_pay", kwargs={"key": basket.key}),
        {"method": "cash", "tendered": "2"},
    )
    assert response.status_code == 400
    assert "Rien n&#x27;a été vendu" in response.content.decode() or "Rien n'a été vendu" in (
        response.content.decode()
    )
    assert not Sale.objects.exists()
    assert not Code.objects.filter(status=CodeStatus.SOLD).exists()
    nonsense = client.post(
        reverse("sales:basket_pay", kwargs={"key": basket.key}), {"method": "chèque"}
    )
    assert nonsense.status_code == 400 and not Sale.objects.exists()


def test_basket_page_queries_do_not_grow(world, counter):
    client = counter["client"]
    basket = _basket(counter)
    url = reverse("sales:basket", kwargs={"key": basket.key})
    client.post(
        reverse("sales:basket_add", kwargs={"key": basket.key}), {"offer": counter["offer"].pk}
    )
    few = count_queries(client, url)
    for _ in range(3):
        device = make_device(world)
        client.post(reverse("sales:basket_add", kwargs={"key": basket.key}), {"device": device.pk})
        client.post(
            reverse("sales:basket_add", kwargs={"key": basket.key}), {"offer": counter["offer"].pk}
        )
    assert basket.items.count() == 7
    many = count_queries(client, url)
    assert many <= few + 3, (few, many)  # the price grid: one query per device kind and grade


def test_session_pages_and_the_z(counter, world):
    client = counter["client"]
    session = counter["session"]
    basket = _basket(counter)
    client.post(
        reverse("sales:basket_add", kwargs={"key": basket.key}), {"offer": counter["offer"].pk}
    )
    client.post(
        reverse("sales:basket_pay", kwargs={"key": basket.key}),
        {"method": "cash", "tendered": "4"},
    )
    close = reverse("sales:session_close", kwargs={"pk": session.pk})
    refused = client.post(close, {"counted_cash": "53,00", "counted_card": "0"})
    assert refused.status_code == 400 and "écart de -1,00 €" in refused.content.decode()
    done = client.post(close, {"counted_cash": "53,00", "counted_card": "0", "comment": "rendu"})
    assert done.status_code == 302
    report = client.get(reverse("sales:session_detail", kwargs={"pk": session.pk}))
    assert "-1,00 €" in report.content.decode()
    pdf = client.get(reverse("sales:session_pdf", kwargs={"pk": session.pk}))
    assert pdf.content.startswith(b"%PDF")
    assert Decimal("-1.00") == type(session).objects.get(pk=session.pk).difference


def test_the_file_section_and_the_purchasing_power_page(world, clients, counter):
    client = counter["client"]
    basket = _basket(counter)
    client.post(
        reverse("sales:basket_add", kwargs={"key": basket.key}), {"offer": counter["offer"].pk}
    )
    client.post(reverse("sales:basket_pay", kwargs={"key": basket.key}), {"method": "card"})
    file_page = client.get(
        reverse("beneficiaries:beneficiary_detail", args=[counter["person"].public_id]),
        {"onglet": "equipement"},
    ).content.decode()
    assert "Achats à la caisse" in file_page
    assert "injecté : 2,00 €" in file_page
    page = clients["manager_a"].get(reverse("sales:purchasing_power")).content.decode()
    assert "2,00 €" in page
