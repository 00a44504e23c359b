from django.db.models import QuerySet
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin

from solidarnum.accounts.access import AccessRuleMixin, roles
from solidarnum.accounts.enums import Role

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
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return audit_events()
