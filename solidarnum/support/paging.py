"""A page of a list without COUNT(*): one row more than the page tells whether a next one exists
(the pattern of the other lists' LazyPaginator, for lists rendered by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    number: int
    has_previous: bool
    has_next: bool


def page_of(request: HttpRequest, qs: QuerySet[Any], per_page: int = 25) -> Page:
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1
    start = (number - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    return Page(rows[:per_page], number, number > 1, len(rows) > per_page)
