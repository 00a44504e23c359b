from typing import Any

from django.db.models import QuerySet
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from solidarnum.accounts.access import AccessRuleMixin, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import scope_of
from solidarnum.common.lists import LazyPaginator

from . import links
from .filters import AuditEventFilter
from .models import AuditEvent
from .selectors import audit_events
from .tables import AuditEventTable


class AuditEventList(AccessRuleMixin, SingleTableMixin, FilterView):
    """Read-only: the audit trail has no edit or delete screen anywhere."""

    access_rule = roles(Role.NATIONAL_ADMIN)
    template_name = "privacy/audit_list.html"
    table_class = AuditEventTable
    filterset_class = AuditEventFilter
    paginator_class = LazyPaginator
    # 25 a page, as the other lists: the page stays under 30 KB of HTML (ADR 0027).
    table_pagination = {"per_page": 25}

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return audit_events()

    def get_table(self, **kwargs: Any) -> AuditEventTable:
        table: AuditEventTable = super().get_table(**kwargs)
        # The page's rows are in memory: name all their objects at once (a query per kind).
        keys = [
            (row.record.object_type, row.record.object_id)
            for row in table.page.object_list
            if row.record.object_id
        ]
        table.refs = links.describe(scope_of(self.request), keys)
        return table
