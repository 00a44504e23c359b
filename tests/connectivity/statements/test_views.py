from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.connectivity.codes import services
from solidarnum.connectivity.statements.selectors import operator_statement
from tests.connectivity.factories import make_codes, make_offer

pytestmark = pytest.mark.django_db


def test_the_operator_statement_counts_and_values_each_move(world, clients):
    offer = make_offer(solidarity="4", market="10")
    codes = make_codes(offer, world.site_a, 5)
    scope = resolve_scope(world.users["staff_a"], None)
    for _ in range(2):
        services.take_next_code(
            acting_user=scope.user, scope=scope, offer=offer, reception_point=world.site_a
        )
    services.declare_defective(
        acting_user=scope.user, scope=scope, code=codes[-1], reason="illisible"
    )
    today = timezone.localdate()
    statement = operator_statement("SFR", today - timedelta(days=1), today)
    line = statement.lines[0]
    assert line.counts == {"received": 5, "sold": 2, "given": 0, "defective": 1, "expired": 0}
    assert line.values["sold"] == Decimal("20.00")
    assert statement.total_values["received"] == Decimal("50.00")

    query = {
        "operator": "SFR",
        "start": (today - timedelta(days=1)).isoformat(),
        "end": today.isoformat(),
    }
    page = clients["admin"].get(reverse("connectivity:operator_statement"), query)
    assert page.status_code == 200 and "20,00 €" in page.content.decode()
    csv = clients["admin"].get(reverse("connectivity:operator_statement_csv"), query)
    assert "Recharge essentielle;5;50.00;2;20.00" in csv.content.decode()
    pdf = clients["admin"].get(reverse("connectivity:operator_statement_pdf"), query)
    assert pdf.content.startswith(b"%PDF")


def test_a_wrong_period_is_said_in_french(clients, world):
    make_offer()
    response = clients["admin"].get(
        reverse("connectivity:operator_statement"),
        {"operator": "SFR", "start": "2026-05-01", "end": "2026-04-01"},
    )
    assert response.status_code == 400
    assert "précède son début" in response.content.decode()
