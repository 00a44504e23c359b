from __future__ import annotations

from django.db.models import Q, QuerySet

from solidarnum.accounts.scope import Scope
from solidarnum.connectivity.models import CodeTransfer
from solidarnum.connectivity.selectors import SITE_ROLES


def transfers_for(scope: Scope) -> QuerySet[CodeTransfer]:
    qs = CodeTransfer.objects.select_related("from_point", "to_point")
    if scope.is_national_admin:
        return qs
    if scope.role in SITE_ROLES:
        place = scope.reception_point_id
        return qs.filter(Q(from_point_id=place) | Q(to_point_id=place))
    return qs.none()
