"""Candidates: the public application, the site manager's follow-up, the invitation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts import services as account_services
from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.volunteers.enums import CandidateStatus, Skill
from solidarnum.volunteers.models import Candidate
from solidarnum.volunteers.permissions import is_manager_of

# The moves a site manager makes: to contact -> met -> welcomed -> invited; declined from any
# step before the invitation.
NEXT = {
    CandidateStatus.TO_CONTACT: {CandidateStatus.MET, CandidateStatus.DECLINED},
    CandidateStatus.MET: {CandidateStatus.WELCOMED, CandidateStatus.DECLINED},
    CandidateStatus.WELCOMED: {CandidateStatus.DECLINED},
}


@transaction.atomic
def submit_application(*, reception_point_id: int, data: dict[str, Any]) -> Candidate:
    """The public form: stores what it asks, nothing more (no address, no birth date)."""
    if not data.get("consent"):
        raise ServiceError(
            _("Votre accord est nécessaire pour que le point d'accueil vous recontacte.")
        )
    candidate = Candidate.objects.create(
        reception_point_id=reception_point_id,
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"].strip().lower(),
        phone=data.get("phone") or "",
        skills=[s for s in data.get("skills", []) if s in Skill.values],
        availability=data.get("availability", "")[:300],
        consented_at=timezone.now(),
    )
    record(actor=None, action=AuditAction.CREATE, obj=candidate, changed_fields=["status"])
    return candidate


@transaction.atomic
def move_candidate(
    *, acting_user: User, scope: Scope, candidate: Candidate, status: str
) -> Candidate:
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not is_manager_of(scope, candidate.reception_point_id):
        raise ServiceError(_("Seul le responsable du point d'accueil suit ses candidatures."))
    if status not in NEXT.get(CandidateStatus(candidate.status), set()):
        raise ServiceError(_("Cette candidature ne peut pas passer à cette étape."))
    candidate.status = status
    candidate.declined_at = timezone.now() if status == CandidateStatus.DECLINED else None
    candidate.save(update_fields=["status", "declined_at"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=candidate, changed_fields=["status"])
    return candidate


@transaction.atomic
def invite_candidate(
    *,
    acting_user: User,
    scope: Scope,
    candidate: Candidate,
    accept_url_builder: Callable[[str], str],
) -> Candidate:
    """A welcomed candidate is invited as a volunteer through the accounts invitation."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not is_manager_of(scope, candidate.reception_point_id):
        raise ServiceError(_("Seul le responsable du point d'accueil suit ses candidatures."))
    if candidate.status != CandidateStatus.WELCOMED:
        raise ServiceError(_("Invitez une personne une fois accueillie."))
    invitation = account_services.invite_user(
        acting_user=acting_user,
        scope=scope,
        email=candidate.email,
        role=Role.VOLUNTEER,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        reception_point_id=candidate.reception_point_id,
        accept_url_builder=accept_url_builder,
    )
    candidate.status = CandidateStatus.INVITED
    candidate.invitation = invitation
    candidate.save(update_fields=["status", "invitation"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=candidate,
        changed_fields=["status", "invitation"],
    )
    return candidate
