"""Scoped reads of referrals: a référent sees their structure's, staff their site's."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, scope_of

from .models import Referral, ReferralQuerySet

SITE_INBOX_ROLES = frozenset({Role.SITE_MANAGER, Role.STAFF})


def referrals_for(scope: Scope) -> ReferralQuerySet:
    qs = Referral.objects.select_related(
        "partner_structure", "reception_point", "referent", "refusal_reason", "beneficiary"
    )
    if scope.role in SITE_INBOX_ROLES:
        return qs.filter(reception_point_id=scope.reception_point_id)
    if scope.role == Role.REFERENT:
        return qs.filter(partner_structure_id=scope.partner_structure_id)
    return qs.none()


def get_referral_or_404(request: HttpRequest, reference: str) -> Referral:
    return get_object_or_404(referrals_for(scope_of(request)), reference=reference.upper())
