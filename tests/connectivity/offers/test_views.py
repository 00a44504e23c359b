from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.connectivity import selectors
from solidarnum.connectivity.models import Offer, OfferPrice
from tests.connectivity.factories import make_offer
from tests.pages import count_queries, messages_of

pytestmark = pytest.mark.django_db


def test_a_national_admin_lowers_a_price_from_a_date(clients):
    offer = make_offer(solidarity="6.00", market="10.00")
    day = timezone.localdate() + timedelta(days=7)
    url = reverse("connectivity:offer_price_create", kwargs={"pk": offer.pk})
    response = clients["admin"].post(
        url,
        {"valid_from": day.isoformat(), "solidarity_price": "4,00", "market_price": "10"},
        follow=True,
    )
    assert response.status_code == 200
    assert "4,00 € à partir du" in " ".join(messages_of(response))
    assert selectors.price_on(offer.pk, day).solidarity_price == Decimal("4.00")
    assert selectors.price_on(offer.pk, timezone.localdate()).solidarity_price == Decimal("6.00")


def test_a_price_above_the_market_is_refused_in_french_and_nothing_saved(clients):
    offer = make_offer()
    url = reverse("connectivity:offer_price_create", kwargs={"pk": offer.pk})
    response = clients["admin"].post(
        url,
        {
            "valid_from": timezone.localdate().isoformat(),
            "solidarity_price": "9",
            "market_price": "2",
        },
    )
    assert response.status_code == 400
    assert "ne peut pas dépasser le prix de référence" in response.content.decode()
    assert OfferPrice.objects.filter(offer=offer).count() == 1


def test_staff_cannot_change_a_price(clients):
    offer = make_offer()
    url = reverse("connectivity:offer_price_create", kwargs={"pk": offer.pk})
    assert clients["manager_a"].post(url, {}).status_code == 403


def test_a_new_offer_is_added_with_its_prices(clients):
    response = clients["admin"].post(
        reverse("connectivity:offer_create"),
        {
            "name": "Carte data 8 Go",
            "kind": "data",
            "operator": "SFR",
            "validity_days": "30",
            "data_gb": "8",
            "description": "Pour une borne wifi mobile (Web Trotter)",
            "quota_per_30_days": "2",
            "solidarity_price": "2",
            "market_price": "4",
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get(name="Carte data 8 Go")
    assert offer.quota_per_30_days == 2


def test_the_catalogue_costs_the_same_queries_for_1_or_8_offers(clients):
    make_offer("Offre 0")
    client = clients["staff_a"]
    url = reverse("connectivity:offer_list")
    few = count_queries(client, url)
    for n in range(1, 8):
        make_offer(f"Offre {n}")
    assert count_queries(client, url) == few
