"""Trainings of social professionals: sessions, registrations, attendance."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.volunteers.models import Training, TrainingRegistration
from solidarnum.volunteers.permissions import can_manage_training, can_register_to_training


@transaction.atomic
def create_training(
    *,
    acting_user: User,
    scope: Scope,
    theme: str,
    starts_at: datetime,
    minutes: int,
    is_remote: bool,
    place: str,
    trainer: str,
    capacity: int,
) -> Training:
    site_id = None if scope.is_national_admin else scope.reception_point_id
    if not can_manage_training(scope, site_id):
        raise ServiceError(_("Vous ne pouvez pas organiser de formation."))
    if minutes <= 0 or capacity <= 0:
        raise ServiceError(_("La durée et le nombre de places doivent être positifs."))
    if not is_remote and not place.strip():
        raise ServiceError(_("Indiquez le lieu, ou cochez « à distance »."))
    training = Training.objects.create(
        theme=theme,
        starts_at=starts_at,
        minutes=minutes,
        is_remote=is_remote,
        place=place,
        trainer=trainer,
        capacity=capacity,
        reception_point_id=site_id,
        created_by=acting_user,
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=training,
        changed_fields=["theme", "starts_at", "capacity"],
    )
    return training


@transaction.atomic
def register_professional(
    *,
    acting_user: User,
    scope: Scope,
    training: Training,
    partner_structure_id: int,
    first_name: str,
    last_name: str,
    email: str,
) -> TrainingRegistration:
    """Within the capacity, counted under a lock on the training."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    if not can_register_to_training(scope, partner_structure_id):
        raise ServiceError(_("Vous inscrivez seulement les professionnels de votre structure."))
    if training.starts_at < timezone.now():
        raise ServiceError(_("Cette formation a déjà eu lieu."))
    if training.registrations.count() >= training.capacity:
        raise ServiceError(_("Cette formation est complète."))
    try:
        with transaction.atomic():
            registration = TrainingRegistration.objects.create(
                training=training,
                partner_structure_id=partner_structure_id,
                first_name=first_name,
                last_name=last_name,
                email=email.strip().lower(),
                registered_by=acting_user,
            )
    except IntegrityError as error:
        raise ServiceError(_("Cette personne est déjà inscrite.")) from error
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=registration,
        changed_fields=["training", "partner_structure"],
    )
    return registration


@transaction.atomic
def record_attendance(
    *, acting_user: User, scope: Scope, training: Training, present_ids: set[int]
) -> int:
    """Mark who came (the others as absent), once the training has started."""
    if not can_manage_training(scope, training.reception_point_id):
        raise ServiceError(_("Seule l'équipe qui organise la formation note les présences."))
    if training.starts_at > timezone.now():
        raise ServiceError(_("Les présences se notent une fois la formation commencée."))
    registrations = list(training.registrations.select_for_update())
    changed = 0
    for registration in registrations:
        attended = registration.pk in present_ids
        if registration.attended != attended:
            registration.attended = attended
            registration.save(update_fields=["attended"])
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=registration,
                changed_fields=["attended"],
            )
            changed += 1
    return changed
