"""Receipt numbers without gaps and the per-site hash chain (ADR 0033).

A receipt is written in the transaction of its sale, refund or void:

1. the site's series row (`ReceiptSeries`: prefix and the hash of the last receipt) is locked
   FOR UPDATE, so receipts of one site are chained one after the other;
2. the site-year counter row (`ReceiptCounter`) is locked FOR UPDATE and incremented: the number
   and the receipt commit together, or neither does, so there is never a gap;
3. the receipt's hash is SHA-256 over its canonical content (number, kind, amount, date, its
   lines) and the previous receipt's hash; the series keeps it as the new head.

`verify_chain` recomputes every hash of a site in order and names the first link that does not
hold (a changed row, a missing receipt, a broken number sequence).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from solidarnum.network.models import ReceptionPoint
from solidarnum.sales.enums import ReceiptKind
from solidarnum.sales.models import Receipt, ReceiptCounter, ReceiptSeries, Refund, Sale


def default_prefix(place: ReceptionPoint) -> str:
    """ "P19" for Paris 19e (75019), else the commune's first three letters ("CRE" for Créteil)."""
    if place.postcode.startswith("75"):
        return f"P{place.postcode[-2:]}"
    letters = "".join(
        c for c in unicodedata.normalize("NFKD", place.commune).upper() if "A" <= c <= "Z"
    )
    return (letters[:3] or "PA").ljust(3, "X")


def series_of(place_id: int) -> ReceiptSeries:
    """The site's series row, created with its default prefix, locked FOR UPDATE."""
    series = ReceiptSeries.objects.select_for_update().filter(reception_point_id=place_id).first()
    if series is not None:
        return series
    place = ReceptionPoint.objects.get(pk=place_id)
    prefix = default_prefix(place)
    if ReceiptSeries.objects.filter(prefix=prefix).exists():
        prefix = f"{prefix[:4]}{place_id}"
    ReceiptSeries.objects.get_or_create(reception_point_id=place_id, defaults={"prefix": prefix})
    return ReceiptSeries.objects.select_for_update().get(reception_point_id=place_id)


def _next_number(place_id: int, year: int) -> int:
    counter = (
        ReceiptCounter.objects.select_for_update()
        .filter(reception_point_id=place_id, year=year)
        .first()
    )
    if counter is None:
        ReceiptCounter.objects.get_or_create(reception_point_id=place_id, year=year)
        counter = ReceiptCounter.objects.select_for_update().get(
            reception_point_id=place_id, year=year
        )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:06d}"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def canonical(receipt: Receipt, lines: list[tuple[int, str, Decimal]]) -> bytes:
    """What the hash covers: the receipt's own fields, its lines (id, label, paid) and the
    previous receipt's hash."""
    content = {
        "number": receipt.number,
        "kind": receipt.kind,
        "sale": receipt.sale_id,
        "refund": receipt.refund_id,
        "amount": _money(receipt.amount),
        "issued_at": receipt.issued_at.astimezone(UTC).isoformat(),
        "lines": [[pk, label, _money(paid)] for pk, label, paid in lines],
        "previous": receipt.previous_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False).encode()


def _lines_of(receipt: Receipt) -> list[tuple[int, str, Decimal]]:
    if receipt.kind == ReceiptKind.SALE:
        rows = receipt.sale.lines.order_by("id").values_list("id", "label", "paid")
    elif receipt.kind == ReceiptKind.EXCHANGE:
        refund = receipt.refund
        assert refund is not None
        back = refund.lines.order_by("id").values_list("line_id", "line__label", "amount")
        new = receipt.sale.lines.order_by("id").values_list("id", "label", "paid")
        return [(pk, label, -paid) for pk, label, paid in back] + list(new)
    else:
        refund = receipt.refund
        assert refund is not None  # a refund or void receipt (database constraint)
        rows = refund.lines.order_by("id").values_list("line_id", "line__label", "amount")
    return [(pk, label, paid) for pk, label, paid in rows]


def digest(receipt: Receipt) -> str:
    return hashlib.sha256(canonical(receipt, _lines_of(receipt))).hexdigest()


def issue(*, sale: Sale, refund: Refund | None = None) -> Receipt:
    """Number, chain and save the receipt of a sale (or of its refund or void). The caller's
    transaction holds the locks until it commits."""
    place_id = sale.reception_point_id
    series = series_of(place_id)
    issued_at = refund.refunded_at if refund is not None else sale.sold_at
    year = timezone.localtime(issued_at).year
    sequence = _next_number(place_id, year)
    if refund is None:
        kind = ReceiptKind.SALE
        amount = sale.total
    elif refund.kind == "exchange":
        # One receipt for the return and the replacement's sale: `sale` is the replacement.
        kind = ReceiptKind.EXCHANGE
        amount = sale.total - refund.amount
    else:
        kind = ReceiptKind.VOID if refund.kind == "void" else ReceiptKind.REFUND
        amount = -refund.amount
    receipt = Receipt(
        reception_point_id=place_id,
        kind=kind,
        year=year,
        sequence=sequence,
        number=format_number(series.prefix, year, sequence),
        sale=sale,
        refund=refund,
        amount=amount,
        issued_at=issued_at,
        previous_hash=series.last_hash,
    )
    receipt.hash = digest(receipt)
    receipt.save()
    series.last_hash = receipt.hash
    series.save(update_fields=["last_hash"])
    return receipt


# --- Verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenLink:
    number: str
    reason: str


def _in_order(place_id: int) -> QuerySet[Receipt]:
    return (
        Receipt.objects.filter(reception_point_id=place_id)
        .select_related("sale", "refund")
        .order_by("id")
    )


def _walk(place_id: int) -> Iterator[BrokenLink | None]:
    previous = ""
    expected_sequence: dict[int, int] = {}
    for receipt in _in_order(place_id).iterator(chunk_size=2000):
        if receipt.previous_hash != previous:
            yield BrokenLink(receipt.number, "previous_hash")
            return
        if digest(receipt) != receipt.hash:
            yield BrokenLink(receipt.number, "content")
            return
        wanted = expected_sequence.get(receipt.year, 1)
        if receipt.sequence != wanted:
            yield BrokenLink(receipt.number, "sequence")
            return
        expected_sequence[receipt.year] = wanted + 1
        previous = receipt.hash
        yield None
    head = ReceiptSeries.objects.filter(reception_point_id=place_id).first()
    if head is not None and head.last_hash != previous:
        yield BrokenLink("", "head")


def verify_chain(place_id: int) -> tuple[int, BrokenLink | None]:
    """How many receipts hold in the site's chain, and the first broken link if any."""
    count = 0
    for outcome in _walk(place_id):
        if outcome is not None:
            return count, outcome
        count += 1
    return count, None
