"""A page of a list without COUNT(*): one row more than the page tells whether a next one exists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def page_of(request: HttpRequest, qs: Any, per_page: int = 25) -> Page:
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1
    start = (number - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    return Page(rows[:per_page], number, number > 1, len(rows) > per_page)
