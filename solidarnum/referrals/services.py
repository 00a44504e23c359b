"""The referral workflow: ouverte → à l'étude → validée | refusée | expirée.

Every transition is one function, audited, in a transaction; the référent is told by e-mail
after commit. Forbidden transitions raise `ServiceError` with a French message.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.beneficiaries.labels import needs_priority
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.services import intake_from_referral
from solidarnum.common.errors import ServiceError
from solidarnum.notifications.models import Message
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from . import notifications
from .enums import PENDING_STATUSES, ReferralStatus
from .models import Referral, RefusalReason


def _locked(referral: Referral) -> Referral:
    # Row lock: two people acting on the same referral at once are serialised.
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _require_pending(referral: Referral) -> None:
    if referral.status not in PENDING_STATUSES:
        raise ServiceError(
            _("Ce bon d'orientation est déjà « %(status)s » : il ne peut plus changer.")
            % {"status": referral.get_status_display()}
        )


@transaction.atomic
def create_referral(*, acting_user: User, referral: Referral) -> Referral:
    """Save a referral built from a validated form (or the API)."""
    referral.referent = acting_user
    referral.status = ReferralStatus.OPEN
    referral.needs_priority = needs_priority(referral)  # ticked needs only, each once
    if referral.consent_given_at is None:
        referral.consent_given_at = timezone.now()
    referral.save()
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=referral,
        changed_fields=["status", "reception_point", "needs"],
    )
    return referral


@transaction.atomic
def start_review(*, acting_user: User, referral: Referral) -> Referral:
    referral = _locked(referral)
    if referral.status != ReferralStatus.OPEN:
        raise ServiceError(_("Seul un bon « ouvert » peut passer « à l'étude »."))
    referral.status = ReferralStatus.UNDER_REVIEW
    referral.save(update_fields=["status", "updated_at"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=referral, changed_fields=["status"])
    notifications.status_changed_after_commit(referral)
    return referral


@transaction.atomic
def validate_referral(
    *, acting_user: User, referral: Referral, existing: Beneficiary | None = None
) -> Referral:
    """Validate and open (or link) the person's file. Validating twice creates one file only."""
    referral = _locked(referral)
    _require_pending(referral)
    beneficiary = intake_from_referral(
        acting_user=acting_user, referral=referral, existing=existing
    )
    referral.status = ReferralStatus.VALIDATED
    referral.beneficiary = beneficiary
    referral.decided_at = timezone.now()
    referral.decided_by = acting_user
    referral.save(update_fields=["status", "beneficiary", "decided_at", "decided_by", "updated_at"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=referral,
        changed_fields=["status", "beneficiary"],
    )
    notifications.attach_to_person(referral)
    notifications.status_changed_after_commit(referral)
    return referral


@transaction.atomic
def refuse_referral(
    *, acting_user: User, referral: Referral, reason: RefusalReason, comment: str = ""
) -> Referral:
    referral = _locked(referral)
    _require_pending(referral)
    if not reason.is_active:
        raise ServiceError(_("Ce motif de refus n'est plus proposé."))
    referral.status = ReferralStatus.REFUSED
    referral.refusal_reason = reason
    referral.refusal_comment = comment
    referral.decided_at = timezone.now()
    referral.decided_by = acting_user
    referral.save(
        update_fields=[
            "status",
            "refusal_reason",
            "refusal_comment",
            "decided_at",
            "decided_by",
            "updated_at",
        ]
    )
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=referral,
        changed_fields=["status", "refusal_reason", "refusal_comment"],
    )
    notifications.status_changed_after_commit(referral)
    return referral


@transaction.atomic
def expire_referral(*, referral: Referral, now: datetime | None = None) -> Referral:
    referral = _locked(referral)
    _require_pending(referral)
    referral.status = ReferralStatus.EXPIRED
    referral.decided_at = now or timezone.now()
    referral.save(update_fields=["status", "decided_at", "updated_at"])
    record(actor=None, action=AuditAction.UPDATE, obj=referral, changed_fields=["status"])
    notifications.status_changed_after_commit(referral)
    return referral


VOUCHER_STATUSES = (*PENDING_STATUSES, ReferralStatus.VALIDATED)


@transaction.atomic
def send_voucher_to_person(*, acting_user: User, referral: Referral) -> Message:
    """The voucher to the person: by SMS (code, place, address, hours), or by e-mail when they
    prefer it. Queued after commit; the delivery log follows it."""
    referral = _locked(referral)
    if referral.status not in VOUCHER_STATUSES:
        raise ServiceError(
            _("Ce bon d'orientation est « %(status)s » : il ne peut plus être envoyé.")
            % {"status": referral.get_status_display()}
        )
    message = notifications.send_voucher(referral)
    if message is None:
        raise ServiceError(
            _("Cette personne n'a ni téléphone ni e-mail : remettez-lui le bon imprimé.")
        )
    record(actor=acting_user, action=AuditAction.EXPORT, obj=referral)
    return message
