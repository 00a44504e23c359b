"""Scoped reads of users and memberships."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .enums import Role
from .models import Invitation, InvitationQuerySet, Membership, MembershipQuerySet, User
from .scope import Scope, scope_of


def memberships_for(scope: Scope) -> MembershipQuerySet:
    """Memberships the caller may see: all for national admins, their organisation's otherwise."""
    qs = Membership.objects.select_related(
        "user", "reception_point", "partner_structure", "donor", "refurbisher"
    )
    if scope.is_national_admin:
        return qs
    if scope.is_site_member:
        return qs.filter(reception_point_id=scope.reception_point_id)
    if scope.is_structure_member:
        return qs.filter(partner_structure_id=scope.partner_structure_id)
    if scope.is_donor_contact:
        return qs.filter(donor_id=scope.donor_id)
    if scope.is_refurbisher_contact:
        return qs.filter(refurbisher_id=scope.refurbisher_id)
    return qs.none()


def get_membership_or_404(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(memberships_for(scope_of(request)), pk=pk)


def invitations_for(scope: Scope) -> InvitationQuerySet:
    qs = Invitation.objects.select_related(
        "reception_point", "partner_structure", "donor", "refurbisher"
    )
    if scope.is_national_admin:
        return qs
    if scope.role == Role.SITE_MANAGER:
        return qs.filter(reception_point_id=scope.reception_point_id)
    if scope.is_lead_referent:
        return qs.filter(partner_structure_id=scope.partner_structure_id)
    return qs.none()


def pending_invitation_count() -> int:
    return Invitation.objects.pending().count()


def get_invitation_by_token_or_404(token: str) -> Invitation:
    """The invitation behind a link (the token is the secret: no scope to apply)."""
    return get_object_or_404(
        Invitation.objects.select_related(
            "reception_point", "partner_structure", "donor", "refurbisher"
        ),
        token=token,
    )


def has_totp(user: User) -> bool:
    """Has this person enrolled an authenticator app (MFA)?"""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
