"""The solidarity price grid: the page, a future price, deleting one."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solidarnum.equipment.models import Price
from tests.equipment.factories import make_prices
from tests.pages import messages_of


def form_errors(response) -> list[str]:
    return [str(e) for errors in response.context["form"].errors.values() for e in errors]


# --- Prices ---------------------------------------------------------------------------------------


def test_the_grid_shows_todays_price_and_the_upcoming_one_apart(world, clients):
    today = timezone.localdate()
    make_prices(valid_from=today - timedelta(days=400))
    Price.objects.create(
        kind="laptop", grade="B", amount=Decimal("80"), valid_from=today - timedelta(days=30)
    )
    future = Price.objects.create(
        kind="laptop", grade="B", amount=Decimal("70"), valid_from=today + timedelta(days=10)
    )
    response = clients["staff_a"].get(reverse("equipment:price_list"))
    assert response.status_code == 200
    laptop = next(row for row in response.context["grid"] if row["label"] == "Ordinateur portable")
    (_, a), (_, b), (_, c) = laptop["cells"]  # (grade, price)
    assert (a.amount, b.amount, c.amount) == (Decimal("110"), Decimal("80"), Decimal("80"))
    assert response.context["upcoming"] == [future]
    # The history keeps the old laptop B price with its dates.
    rows = response.context["table"].paginated_rows
    history = [(row.record.kind, row.record.grade, row.record.amount) for row in rows]
    assert ("laptop", "B", Decimal("90")) in history
    assert ("laptop", "B", Decimal("70")) not in history
    assert not response.context["can_set"]
    html = response.content.decode()
    last_day = (future.valid_from - timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"en vigueur jusqu&#x27;au {last_day}" in html  # the current laptop B price
    assert ">en vigueur</td>" in html  # prices with no change planned


def test_the_national_team_sets_a_future_price(world, clients):
    valid_from = timezone.localdate() + timedelta(days=5)
    response = clients["admin"].post(
        reverse("equipment:price_create"),
        {"kind": "tablet", "grade": "A", "amount": "45.50", "valid_from": valid_from.isoformat()},
    )
    assert response.status_code == 302
    price = Price.objects.get()
    assert (price.kind, price.grade, price.amount, price.valid_from) == (
        "tablet",
        "A",
        Decimal("45.50"),
        valid_from,
    )


def test_a_price_in_the_past_is_refused(world, clients):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = clients["admin"].post(
        reverse("equipment:price_create"),
        {"kind": "tablet", "grade": "A", "amount": "45", "valid_from": yesterday.isoformat()},
    )
    assert response.status_code == 400
    assert (
        "Un nouveau prix s'applique à partir d'aujourd'hui ou plus tard, jamais dans le passé."
        in form_errors(response)
    )
    assert not Price.objects.exists()


def test_only_a_future_price_can_be_deleted(world, clients):
    today = timezone.localdate()
    current = Price.objects.create(
        kind="laptop", grade="A", amount=Decimal("100"), valid_from=today
    )
    future = Price.objects.create(
        kind="laptop", grade="A", amount=Decimal("90"), valid_from=today + timedelta(days=3)
    )
    response = clients["admin"].post(reverse("equipment:price_delete", kwargs={"pk": current.pk}))
    assert response.status_code == 302
    assert Price.objects.filter(pk=current.pk).exists()
    follow = clients["admin"].get(response["Location"])
    assert "Un prix déjà appliqué ne peut pas être supprimé." in messages_of(follow)

    clients["admin"].post(reverse("equipment:price_delete", kwargs={"pk": future.pk}))
    assert not Price.objects.filter(pk=future.pk).exists()


def test_a_site_member_cannot_set_or_delete_prices(world, clients):
    future = Price.objects.create(
        kind="laptop",
        grade="A",
        amount=Decimal("90"),
        valid_from=timezone.localdate() + timedelta(days=3),
    )
    assert (
        clients["manager_a"]
        .post(reverse("equipment:price_delete", kwargs={"pk": future.pk}))
        .status_code
        == 403
    )
    assert Price.objects.filter(pk=future.pk).exists()


def test_the_price_list_query_count_does_not_grow_with_prices(world, clients):
    today = timezone.localdate()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert clients["admin"].get(reverse("equipment:price_list")).status_code == 200
        return len(ctx.captured_queries)

    make_prices(valid_from=today - timedelta(days=400))
    few = count()
    make_prices(valid_from=today - timedelta(days=100))
    make_prices(valid_from=today + timedelta(days=20))
    assert count() == few
