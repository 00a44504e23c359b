"""Scoped reads of people's files. Need-to-know: only the staff of the person's reception point
see a file; its volunteers see, with a reduced view, the people they accompany (the `reach`
registry, ADR 0036); national admins and partners do not."""

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.common.models import as_bigint
from solidarnum.privacy.models import AuditEvent
from solidarnum.privacy.selectors import reads_of

from . import reach
from .models import AccessPeriod, Beneficiary, BeneficiaryQuerySet

FULL_FILE_ROLES = frozenset({Role.SITE_MANAGER, Role.STAFF})


def beneficiaries_for(scope: Scope) -> BeneficiaryQuerySet:
    qs = Beneficiary.objects.select_related("reception_point", "partner_structure", "referent")
    site = scope.reception_point_id
    if scope.role in FULL_FILE_ROLES:
        return qs.filter(reception_point_id=site if site is None else as_bigint(site))
    if scope.role == Role.VOLUNTEER and site is not None and scope.user is not None:
        return qs.filter(reach.volunteer_reach(scope), reception_point_id=as_bigint(site))
    return qs.none()


def can_see_full_file(scope: Scope) -> bool:
    """Volunteers see name, needs, profile and upcoming sessions only."""
    return scope.role in FULL_FILE_ROLES


def get_beneficiary_or_404(request: HttpRequest, public_id: str) -> Beneficiary:
    return get_object_or_404(beneficiaries_for(scope_of(request)), public_id=public_id)


# The fields of the current access period the file page shows, read with the file itself.
_PERIOD_FIELDS = ("pk", "starts_on", "ends_on", "ended_early_on")


def get_file_or_404(request: HttpRequest, public_id: str) -> Beneficiary:
    """The file for its page, checked as `get_beneficiary_or_404`, with its current access period
    (the latest ending) read in the same query: `current_period` gives it back."""
    latest = AccessPeriod.objects.filter(beneficiary=OuterRef("pk")).order_by("-ends_on", "-pk")
    periods = {f"period_{name}": Subquery(latest.values(name)[:1]) for name in _PERIOD_FIELDS}
    return get_object_or_404(
        beneficiaries_for(scope_of(request)).annotate(**periods), public_id=public_id
    )


def current_period(beneficiary: Beneficiary) -> AccessPeriod | None:
    """The current access period of a file fetched by `get_file_or_404`, without a query."""
    values = {name: getattr(beneficiary, f"period_{name}", None) for name in _PERIOD_FIELDS}
    if values["pk"] is None:
        return None
    return AccessPeriod(beneficiary=beneficiary, **values)


def beneficiary_rows(scope: Scope) -> BeneficiaryQuerySet:
    """Current files of the caller's site; each carries the effective end of its latest access
    period in `access_ends_on`, kept by the services (ADR 0023)."""
    return beneficiaries_for(scope).current().select_related(None)


def with_access_today(scope: Scope) -> BeneficiaryQuerySet:
    """The site's current, active files whose access runs today."""
    today = timezone.localdate()
    running = AccessPeriod.objects.annotate(last_day=Coalesce("ended_early_on", "ends_on")).filter(
        beneficiary=OuterRef("pk"), starts_on__lte=today, last_day__gte=today
    )
    return (
        beneficiaries_for(scope)
        .current()
        .select_related(None)
        .filter(anonymised_at__isnull=True)
        .filter(Exists(running))
    )


def can_see_file_readers(scope: Scope, beneficiary: Beneficiary) -> bool:
    """Who opened a file is the site manager's to know (ADR 0019), for their own site only."""
    return (
        scope.role == Role.SITE_MANAGER
        and scope.reception_point_id == beneficiary.reception_point_id
    )


def file_readers(beneficiary: Beneficiary) -> QuerySet[AuditEvent]:
    """Openings and exports of a file, and of the duplicates merged into it, newest first."""
    merged = (
        Beneficiary.objects.filter(merged_into=beneficiary)
        .annotate(pk_text=Cast("pk", models.CharField()))
        .values("pk_text")
    )
    ids = Q(object_id=str(beneficiary.pk)) | Q(object_id__in=merged)
    return reads_of(Beneficiary._meta.label_lower, ids)
