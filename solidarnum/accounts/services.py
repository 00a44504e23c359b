"""Writes on users, memberships and invitations. Each is audited in the same transaction."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from . import login_protection, mail, permissions
from .enums import Role
from .models import Invitation, Membership, User
from .scope import Scope


@transaction.atomic
def invite_user(
    *,
    acting_user: User,
    scope: Scope,
    email: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    reception_point_id: int | None = None,
    partner_structure_id: int | None = None,
    donor_id: int | None = None,
    refurbisher_id: int | None = None,
    is_lead: bool = False,
    accept_url_builder: Callable[[str], str],
) -> Invitation:
    if role not in permissions.invitable_roles(scope):
        raise ServiceError(_("Vous ne pouvez pas inviter une personne avec ce rôle."))
    # Managers and lead référents invite into their own organisation only.
    if not scope.is_national_admin:
        reception_point_id = scope.reception_point_id if scope.is_site_member else None
        partner_structure_id = scope.partner_structure_id if scope.is_lead_referent else None
        donor_id = None
        refurbisher_id = None
        is_lead = False
    email = email.strip().lower()
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        reception_point_id=reception_point_id,
        partner_structure_id=partner_structure_id,
        donor_id=donor_id,
        refurbisher_id=refurbisher_id,
        is_lead=is_lead and role == Role.REFERENT,
        invited_by=acting_user,
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=invitation,
        changed_fields=["email", "role"],
    )
    # Through notifications when it is installed (the delivery log, the fallback provider),
    # else Django's send_mail after the commit (`accounts.mail`).
    mail.send(
        mail.AccountEmail(
            key="accounts.invitation",
            to=email,
            subject=_("Invitation à rejoindre solidarnum"),
            template_name="accounts/email/invitation.txt",
            context={"invitation": invitation, "accept_url": accept_url_builder(invitation.token)},
            related_object=invitation,
            reception_point_id=invitation.reception_point_id,
        )
    )
    return invitation


@transaction.atomic
def accept_invitation(
    *,
    invitation: Invitation,
    acting_user: User | None,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> Membership:
    """Turn an invitation into a membership, creating the account when it does not exist."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ServiceError(_("Cette invitation a expiré ou a déjà été utilisée."))
    user = acting_user
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ServiceError(
                _("Un compte existe déjà pour cette adresse : connectez-vous pour accepter.")
            )
        user = User.objects.create_user(
            invitation.email,
            password,
            first_name=first_name or invitation.first_name,
            last_name=last_name or invitation.last_name,
        )
        record(
            actor=user,
            action=AuditAction.CREATE,
            obj=user,
            changed_fields=["email", "first_name", "last_name"],
        )
    elif user.email.lower() != invitation.email.lower():
        raise ServiceError(_("Cette invitation est destinée à une autre adresse e-mail."))
    membership, created = Membership.objects.get_or_create(
        user=user,
        role=invitation.role,
        reception_point_id=invitation.reception_point_id,
        partner_structure_id=invitation.partner_structure_id,
        donor_id=invitation.donor_id,
        refurbisher_id=invitation.refurbisher_id,
        defaults={"is_lead": invitation.is_lead},
    )
    if not created:
        membership.is_active = True
        membership.deactivated_at = None
        membership.is_lead = membership.is_lead or invitation.is_lead
        membership.save(update_fields=["is_active", "deactivated_at", "is_lead"])
    record(
        actor=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=membership,
        changed_fields=["role", "is_active"],
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record(actor=user, action=AuditAction.UPDATE, obj=invitation, changed_fields=["accepted_at"])
    return membership


@transaction.atomic
def deactivate_membership(*, acting_user: User, scope: Scope, membership: Membership) -> None:
    if not permissions.can_deactivate_membership(scope, membership):
        raise ServiceError(_("Vous ne pouvez pas désactiver ce rattachement."))
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=membership,
        changed_fields=["is_active", "deactivated_at"],
    )


@transaction.atomic
def revoke_invitation(*, acting_user: User, scope: Scope, invitation: Invitation) -> None:
    if not permissions.can_invite(scope) or not invitation.is_usable:
        raise ServiceError(_("Cette invitation ne peut plus être annulée."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        actor=acting_user, action=AuditAction.UPDATE, obj=invitation, changed_fields=["revoked_at"]
    )


@transaction.atomic
def set_device_skill(
    *, acting_user: User, scope: Scope, membership: Membership, value: bool
) -> None:
    """Give or remove the refurbishing skill that lets a person check devices."""
    if not permissions.can_set_device_skill(scope, membership):
        raise ServiceError(_("Vous ne pouvez pas modifier ce rattachement."))
    membership.can_check_devices = value
    membership.save(update_fields=["can_check_devices"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=membership,
        changed_fields=["can_check_devices"],
    )


@transaction.atomic
def unlock_account(*, acting_user: User, scope: Scope, membership: Membership) -> None:
    """Lift the lock on the account of `membership`'s person (ADR 0015)."""
    if not permissions.can_unlock_account(scope, membership):
        raise ServiceError(_("Vous ne pouvez pas débloquer ce compte."))
    user = membership.user
    if not login_protection.locked_until([user.email]):
        raise ServiceError(_("Ce compte n'est pas bloqué : la personne peut se connecter."))
    login_protection.clear_failures(user.email)
    record(actor=acting_user, action=AuditAction.UPDATE, obj=user, changed_fields=["login_lockout"])
