"""A cash session's money and the pages' reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from solidarnum.sales.enums import PaymentMethod
from solidarnum.sales.models import ZERO, CashSession, Receipt, Refund, Sale


@dataclass(frozen=True)
class Totals:
    """A session's money, from its sales and refunds: what the drawer and terminal should hold."""

    opening_float: Decimal
    cash_sales: Decimal
    card_sales: Decimal
    free_count: int
    cash_refunds: Decimal
    card_refunds: Decimal
    sale_count: int
    refund_count: int
    market_total: Decimal

    @property
    def expected_cash(self) -> Decimal:
        return self.opening_float + self.cash_sales - self.cash_refunds

    @property
    def expected_card(self) -> Decimal:
        return self.card_sales - self.card_refunds

    @property
    def takings(self) -> Decimal:
        return self.cash_sales + self.card_sales - self.cash_refunds - self.card_refunds


def totals_of(session: CashSession) -> Totals:
    """Two queries: the sales by payment method, the refunds by method."""
    sales = {
        row["payment_method"]: row
        for row in Sale.objects.filter(session=session)
        .values("payment_method")
        .annotate(total=Sum("total"), market=Sum("market_total"), n=Count("id"))
        .order_by()
    }
    refunds = {
        row["method"]: row
        for row in Refund.objects.filter(session=session)
        .values("method")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    }

    def amount(rows: dict[str, dict[str, object]], method: str) -> Decimal:
        value = rows.get(method, {}).get("total")
        return Decimal(str(value)) if value is not None else ZERO

    return Totals(
        opening_float=session.opening_float,
        cash_sales=amount(sales, PaymentMethod.CASH),
        card_sales=amount(sales, PaymentMethod.CARD),
        free_count=int(str(sales.get(PaymentMethod.FREE, {}).get("n", 0))),
        cash_refunds=amount(refunds, PaymentMethod.CASH),
        card_refunds=amount(refunds, PaymentMethod.CARD),
        sale_count=sum(int(str(row["n"])) for row in sales.values()),
        refund_count=sum(int(str(row["n"])) for row in refunds.values()),
        market_total=sum((Decimal(str(row["market"] or 0)) for row in sales.values()), start=ZERO),
    )


@dataclass(frozen=True)
class ReceiptSpan:
    first: str
    last: str
    count: int


def receipt_span(session: CashSession) -> ReceiptSpan:
    """The first and last receipt numbers issued in the session and how many (two queries, each
    through an index: the session's sales, the session's refunds)."""
    rows = sorted(
        [
            *Receipt.objects.filter(sale__session=session, refund__isnull=True).values_list(
                "id", "number"
            ),
            *Receipt.objects.filter(refund__session=session).values_list("id", "number"),
        ]
    )
    if not rows:
        return ReceiptSpan(first="", last="", count=0)
    return ReceiptSpan(first=rows[0][1], last=rows[-1][1], count=len(rows))
