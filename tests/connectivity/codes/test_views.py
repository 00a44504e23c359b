from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, StockAlert
from tests.connectivity.factories import make_codes, make_offer, secret_of
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


def test_the_stock_page_counts_by_offer_and_raises_the_alert(clients, world):
    offer = make_offer()
    make_codes(offer, world.site_a, 4)
    make_codes(offer, world.site_a, 2, expires_on=timezone.localdate() + timedelta(days=10))
    StockAlert.objects.create(offer=offer, reception_point=world.site_a, threshold=10)
    response = clients["staff_a"].get(
        reverse("connectivity:stock_place", kwargs={"pk": world.site_a.pk})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stock bas" in page and "6 (seuil 10)" in page


def test_the_stock_page_costs_the_same_queries_whatever_the_stock(clients, world):
    client = clients["staff_a"]
    url = reverse("connectivity:stock_place", kwargs={"pk": world.site_a.pk})
    make_codes(make_offer("A"), world.site_a, 1)
    few = count_queries(client, url)
    for name in ("B", "C", "D"):
        make_codes(make_offer(name), world.site_a, 5)
    assert count_queries(client, url) == few


def test_the_code_list_costs_the_same_queries_for_2_or_30_codes(clients, world):
    offer = make_offer()
    client = clients["staff_a"]
    url = reverse("connectivity:code_list")
    make_codes(offer, world.site_a, 2)
    few = count_queries(client, url)
    make_codes(offer, world.site_a, 28)
    assert count_queries(client, url) == few


def test_revealing_a_sold_code_shows_it_in_that_answer_only(clients, world):
    code = make_codes(make_offer(), world.site_a)[0]
    Code.objects.filter(pk=code.pk).update(status=CodeStatus.SOLD)
    url = reverse("connectivity:code_reveal", kwargs={"pk": code.pk})
    response = clients["staff_a"].post(url, {"reason": "ticket perdu"})
    assert response.status_code == 200
    assert secret_of(code.serial) in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    detail = clients["staff_a"].get(reverse("connectivity:code_detail", kwargs={"pk": code.pk}))
    assert secret_of(code.serial) not in detail.content.decode()
    assert "déjà montré le" in detail.content.decode()


def test_a_national_admin_sees_a_code_but_cannot_reveal_it(clients, world):
    code = make_codes(make_offer(), world.site_a)[0]
    Code.objects.filter(pk=code.pk).update(status=CodeStatus.SOLD)
    detail = clients["admin"].get(reverse("connectivity:code_detail", kwargs={"pk": code.pk}))
    assert detail.status_code == 200 and "Révéler" not in detail.content.decode()
    url = reverse("connectivity:code_reveal", kwargs={"pk": code.pk})
    assert clients["admin"].post(url, {"reason": "curiosité"}).status_code == 403
