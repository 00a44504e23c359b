"""Scoped reads of referrals: a référent sees their structure's, staff their site's."""

from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.beneficiaries.labels import ordered_needs
from solidarnum.beneficiaries.models import AccessPeriod
from solidarnum.common.models import as_bigint

from .models import Referral, ReferralQuerySet

SITE_INBOX_ROLES = frozenset({Role.SITE_MANAGER, Role.STAFF})


def referrals_for(scope: Scope) -> ReferralQuerySet:
    qs = Referral.objects.select_related(
        "partner_structure", "reception_point", "referent", "refusal_reason", "beneficiary"
    )
    # Ids typed as their columns, so that the trigram indexes narrow searches (ADR 0023).
    site, structure = scope.reception_point_id, scope.partner_structure_id
    if scope.role in SITE_INBOX_ROLES:
        return qs.filter(reception_point_id=site if site is None else as_bigint(site))
    if scope.role == Role.REFERENT:
        return qs.filter(
            partner_structure_id=structure if structure is None else as_bigint(structure)
        )
    return qs.none()


def with_access_end(qs: ReferralQuerySet, today: date | None = None) -> ReferralQuerySet:
    """Annotate the end of the access period each validated referral opened, in the same query:
    `access_ends_on` (its last day, an early end included) and `access_is_over` (ended early, or
    that day is past). The référent is told that date, and nothing else of the person's file."""
    period = AccessPeriod.objects.filter(referral=OuterRef("pk")).order_by("-ends_on", "-pk")
    return qs.annotate(
        access_ends_on=Subquery(
            period.annotate(last_day=Coalesce("ended_early_on", "ends_on")).values("last_day")[:1]
        ),
        access_ended_early_on=Subquery(period.values("ended_early_on")[:1]),
    ).annotate(
        access_is_over=ExpressionWrapper(
            Q(access_ended_early_on__isnull=False)
            | Q(access_ends_on__lt=today or timezone.localdate()),
            output_field=BooleanField(),
        )
    )


def get_referral_or_404(request: HttpRequest, reference: str) -> Referral:
    """One referral of the caller's scope, with its access end (`with_access_end`, one row)."""
    qs = with_access_end(referrals_for(scope_of(request)))
    return get_object_or_404(qs, reference=reference.upper())


def needs_with_details(referral: Referral) -> list[tuple[str, str]]:
    """(label, précision) of each ticked need, in the référent's order."""
    return [
        (str(need.label), getattr(referral, f"needs_{need.value}_detail"))
        for need in ordered_needs(referral)
    ]
