"""Lists rendered cheaply: django-tables2 for ordering and pagination, a plain loop for rows.

django-tables2 reads the sort from the query string against the columns it declares (a
whitelist: an unknown `sort` is ignored) and paginates lazily (`LazyPaginator`, no exact
COUNT). Its per-cell machinery (bound rows, accessors, `render_<column>` introspection, a
template node per cell) cost most of a list page, so rows are rendered instead by one template
partial per list, `row_template`, looping over `records` (ADR 0024). Values a template cannot
compute (a badge that depends on the site, a text with plural forms) are attached once per row
by `prepare`.

The shared markup is `components/table.html`: headers with their sort links and `aria-sort`,
the row partial, the empty line and the pagination. Each cell of a partial carries
`data-label="{{ labels.<column> }}"`, shown before the value when the rows are stacked on a
phone (`.list-table`, see "Lists on phones" in app.css).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Header:
    """A column header as the template shows it."""

    name: str
    label: str
    url: str | None  # the link that sorts by this column (None: not sortable)
    aria_sort: str | None  # "ascending" / "descending" on the column the list is sorted by


class ListTable(tables.Table):
    """A django-tables2 table whose rows come from `row_template`, a plain `{% for %}` loop."""

    row_template: ClassVar[str]
    # Read by assistive technologies on the scrollable box around the table (`aria-label`).
    region_label: ClassVar[Any] = _("Résultats")

    def prepare(self, records: list[Any]) -> None:
        """Attach, once per row, what the row template cannot compute itself."""

    @cached_property
    def records(self) -> list[Any]:
        """The records of the current page (all of them when the table is not paginated)."""
        if hasattr(self, "page"):
            records = [row.record for row in self.page.object_list]
        else:
            records = list(self.data)
        self.prepare(records)
        return records

    @cached_property
    def headers(self) -> list[Header]:
        request = getattr(self, "request", None)
        field = self.prefixed_order_by_field
        headers = []
        for column in self.columns:
            url = None
            if column.orderable and request is not None:
                query = request.GET.copy()
                query[field] = str(column.order_by_alias.next)
                url = "?" + query.urlencode()
            aria_sort = None
            if column.is_ordered:
                aria_sort = "descending" if column.order_by_alias.is_descending else "ascending"
            headers.append(Header(column.name, str(column.header), url, aria_sort))
        return headers

    @cached_property
    def labels(self) -> dict[str, str]:
        """Column name -> its header, for the `data-label` of each cell."""
        return {header.name: header.label for header in self.headers}

    @property
    def column_count(self) -> int:
        return len(self.headers)
