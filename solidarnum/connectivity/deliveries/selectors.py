from __future__ import annotations

from django.db.models import Count, QuerySet

from solidarnum.accounts.scope import Scope
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, Delivery, DeliveryJob
from solidarnum.connectivity.permissions import SITE_STAFF
from solidarnum.connectivity.selectors import SITE_ROLES


def deliveries_for(scope: Scope) -> QuerySet[Delivery]:
    qs = Delivery.objects.select_related("reception_point", "received_by")
    if scope.is_national_admin:
        return qs
    if scope.role in SITE_ROLES:
        return qs.filter(reception_point_id=scope.reception_point_id)
    return qs.none()


def counts_of(delivery_id: int) -> list[dict[str, object]]:
    """The delivery's codes by offer and status (one query)."""
    rows = (
        Code.objects.filter(delivery_id=delivery_id)
        .values("offer__name", "status")
        .annotate(n=Count("id"))
        .order_by("offer__name", "status")
    )
    return [{**row, "status": CodeStatus(row["status"]).label} for row in rows]


def delivery_jobs_for(scope: Scope) -> QuerySet[DeliveryJob]:
    """A background reception is seen by the person who sent the file, in the role and at the
    reception point they sent it from: nobody else (its report names the file's lines)."""
    qs = DeliveryJob.objects.select_related("reception_point", "delivery")
    if scope.user is None or scope.role not in SITE_STAFF or not scope.reception_point_id:
        return qs.none()
    return qs.filter(created_by=scope.user, reception_point_id=scope.reception_point_id)
