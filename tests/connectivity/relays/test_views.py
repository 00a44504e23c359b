import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.connectivity.models import Code
from tests.connectivity.factories import make_codes, make_offer, secret_of
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


def _statement_url(world):
    today = timezone.localdate()
    return reverse(
        "connectivity:relay_statement",
        kwargs={"pk": world.relay_a.pk, "year": today.year, "month": today.month},
    )


def test_consign_50_sell_12_at_the_relay_and_the_statement_says_12_sold_and_38_left(clients, world):
    offer = make_offer()
    make_codes(offer, world.site_a, 60)
    consign = clients["staff_a"].post(
        reverse("connectivity:relay_consign", kwargs={"pk": world.relay_a.pk}),
        {"offer": offer.pk, "quantity": "50"},
    )
    assert consign.status_code == 302
    relay = clients["relay_operator"]
    home = relay.get(reverse("connectivity:relay_home"))
    assert "Recharge essentielle : <strong>50</strong>" in home.content.decode()
    for n in range(12):
        done = relay.post(
            reverse("connectivity:relay_sale"),
            {
                "offer": offer.pk,
                "quantity": "1",
                "buyer_first_name": f"Prénom{n}",
                "buyer_birth_year": "1980",
            },
        )
        assert done.status_code == 200, done.content.decode()
    sold = Code.objects.filter(relay_sale__isnull=False).first()
    assert (
        secret_of(sold.serial) in done.content.decode()
        or Code.objects.filter(relay_sale=done.context["sale"]).exists()
    )

    page = clients["staff_a"].get(_statement_url(world)).content.decode()
    assert "<dt>Vendus</dt><dd>12</dd>" in page
    assert "<dt>Restants en fin de mois</dt><dd>38</dd>" in page
    assert "48,00 €" in page
    # The reception point reads counts and amounts, never the buyers' names (ADR 0029).
    assert "Prénom" not in page
    assert "Prénom3" in relay.get(reverse("connectivity:relay_sales")).content.decode()


def test_a_sale_with_a_wrong_birth_year_is_refused_in_french(clients, world):
    offer = make_offer()
    make_codes(offer, world.site_a, 2)
    clients["staff_a"].post(
        reverse("connectivity:relay_consign", kwargs={"pk": world.relay_a.pk}),
        {"offer": offer.pk, "quantity": "2"},
    )
    response = clients["relay_operator"].post(
        reverse("connectivity:relay_sale"),
        {"offer": offer.pk, "quantity": "1", "buyer_first_name": "Awa", "buyer_birth_year": "20"},
    )
    assert response.status_code == 400
    assert "année de naissance doit être comprise" in response.content.decode()
    assert not Code.objects.filter(relay_sale__isnull=False).exists()


def test_the_statement_pdf_is_a_pdf(clients, world):
    today = timezone.localdate()
    url = reverse(
        "connectivity:relay_statement_pdf",
        kwargs={"pk": world.relay_a.pk, "year": today.year, "month": today.month},
    )
    response = clients["manager_a"].get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_statement_costs_the_same_queries_with_1_or_20_sales(clients, world):
    offer = make_offer()
    make_codes(offer, world.site_a, 30)
    clients["staff_a"].post(
        reverse("connectivity:relay_consign", kwargs={"pk": world.relay_a.pk}),
        {"offer": offer.pk, "quantity": "30"},
    )
    relay = clients["relay_operator"]

    def sell():
        relay.post(
            reverse("connectivity:relay_sale"),
            {
                "offer": offer.pk,
                "quantity": "1",
                "buyer_first_name": "A",
                "buyer_birth_year": "1990",
            },
        )

    sell()
    clients["staff_a"].get(_statement_url(world))  # the session's first read
    few = count_queries(clients["staff_a"], _statement_url(world))
    for _ in range(19):
        sell()
    assert count_queries(clients["staff_a"], _statement_url(world)) == few
