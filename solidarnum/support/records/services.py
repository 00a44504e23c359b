"""Activity records (comptes-rendus d'activité) with La Coop de la médiation numérique's fields:
date, duration, themes, the person's autonomy at the end, material, redirection, a short note;
anonymous participants in collective workshops (age band, gender, commune only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.support import permissions
from solidarnum.support.enums import (
    AdministrativeTheme,
    AgeBand,
    AppointmentStatus,
    Autonomy,
    Gender,
    Material,
    Redirection,
    RegistrationStatus,
    SessionKind,
    Theme,
)
from solidarnum.support.models import (
    ActivityRecord,
    AnonymousParticipant,
    Appointment,
    Workshop,
)

FIELDS = [
    "on",
    "duration_minutes",
    "themes",
    "administrative_themes",
    "autonomy",
    "material",
    "redirection",
    "note",
]


@dataclass(frozen=True)
class Details:
    """What the person recording says (the form's cleaned data)."""

    on: date
    duration_minutes: int
    themes: list[str]
    administrative_themes: list[str]
    autonomy: str = ""
    material: list[str] | None = None
    redirection: str = ""
    redirected_to_point: ReceptionPoint | None = None
    redirected_to_structure: PartnerStructure | None = None
    redirected_to_other: str = ""
    note: str = ""


@dataclass(frozen=True)
class Anonymous:
    age_band: str
    gender: str
    commune: str = ""


def _check(details: Details, *, kind: str) -> None:
    if not details.themes:
        raise ServiceError(_("Choisissez au moins un thème."))
    if not set(details.themes) <= set(Theme.values):
        raise ServiceError(_("Un des thèmes n'existe pas."))
    if not set(details.administrative_themes) <= set(AdministrativeTheme.values):
        raise ServiceError(_("Une des démarches n'existe pas."))
    if details.administrative_themes and Theme.ADMINISTRATIVE not in details.themes:
        raise ServiceError(
            _("Les démarches se précisent avec le thème « Aide aux démarches administratives ».")
        )
    if not 1 <= details.duration_minutes <= 600:
        raise ServiceError(_("La durée va de 1 minute à 10 heures."))
    if details.on > timezone.localdate():
        raise ServiceError(_("Une séance à venir ne se raconte pas encore : vérifiez la date."))
    if kind == SessionKind.ONE_TO_ONE and details.autonomy not in Autonomy.values:
        raise ServiceError(_("Dites l'autonomie de la personne à la fin de la séance."))
    if not set(details.material or ()) <= set(Material.values):
        raise ServiceError(_("Un des matériels n'existe pas."))
    if details.redirection and details.redirection not in Redirection.values:
        raise ServiceError(_("Choisissez vers quel type de structure la personne est orientée."))
    if (
        details.redirected_to_point
        or details.redirected_to_structure
        or details.redirected_to_other
    ) and not details.redirection:
        raise ServiceError(_("Dites vers quel type de structure la personne est orientée."))


def _create(details: Details, **fields: Any) -> ActivityRecord:
    try:
        with transaction.atomic():
            return ActivityRecord.objects.create(
                on=details.on,
                duration_minutes=details.duration_minutes,
                themes=sorted(set(details.themes)),
                administrative_themes=sorted(set(details.administrative_themes)),
                autonomy=details.autonomy,
                material=sorted(set(details.material or ())),
                redirection=details.redirection,
                redirected_to_point=details.redirected_to_point,
                redirected_to_structure=details.redirected_to_structure,
                redirected_to_other=" ".join(details.redirected_to_other.split())[:160],
                note=details.note.strip()[:500],
                **fields,
            )
    except IntegrityError as error:
        raise ServiceError(_("Le compte-rendu de cette séance est déjà enregistré.")) from error


@transaction.atomic
def record_appointment(
    *, acting_user: User, scope: Scope, appointment: Appointment, details: Details
) -> ActivityRecord:
    """The record of a permanence connectée, by its volunteer or the site's staff; the person is
    marked as having come."""
    if not permissions.can_run(
        scope,
        reception_point_id=appointment.reception_point_id,
        animator_ids={appointment.volunteer_id},
    ):
        raise ServiceError(_("Seuls l'équipe et le bénévole de la séance en font le compte-rendu."))
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status == AppointmentStatus.CANCELLED:
        raise ServiceError(_("Cette permanence est annulée."))
    if current.starts_at > timezone.now():
        raise ServiceError(_("La séance n'a pas encore commencé."))
    _check(details, kind=SessionKind.ONE_TO_ONE)
    activity = _create(
        details,
        reception_point_id=current.reception_point_id,
        kind=SessionKind.ONE_TO_ONE,
        animator_id=current.volunteer_id,
        recorded_by=acting_user,
        beneficiary_id=current.beneficiary_id,
        participants=1,
        appointment=current,
    )
    if current.status != AppointmentStatus.CAME:
        current.status = AppointmentStatus.CAME
        current.status_changed_at = timezone.now()
        current.save(update_fields=["status", "status_changed_at"])
    record(actor=acting_user, action=AuditAction.CREATE, obj=activity, changed_fields=FIELDS)
    return activity


@transaction.atomic
def record_workshop(
    *,
    acting_user: User,
    scope: Scope,
    workshop: Workshop,
    details: Details,
    anonymous: list[Anonymous],
) -> ActivityRecord:
    """The record of a workshop: the registered people who came, plus anonymous participants."""
    animators = set(workshop.animators.values_list("pk", flat=True))
    if not permissions.can_run(
        scope, reception_point_id=workshop.reception_point_id, animator_ids=animators
    ):
        raise ServiceError(
            _("Seuls l'équipe et les animateurs de l'atelier en font le compte-rendu.")
        )
    if workshop.starts_at > timezone.now():
        raise ServiceError(_("L'atelier n'a pas encore commencé."))
    for person in anonymous:
        if person.age_band not in AgeBand.values or person.gender not in Gender.values:
            raise ServiceError(
                _("Indiquez la tranche d'âge et le genre de chaque participant anonyme.")
            )
    _check(details, kind=SessionKind.WORKSHOP)
    came = workshop.registrations.filter(
        status=RegistrationStatus.REGISTERED, attended=True
    ).count()
    if came + len(anonymous) == 0:
        raise ServiceError(
            _("Personne n'est noté venu : notez les présences ou les participants anonymes.")
        )
    activity = _create(
        details,
        reception_point_id=workshop.reception_point_id,
        kind=SessionKind.WORKSHOP,
        animator_id=min(animators) if animators else None,
        recorded_by=acting_user,
        participants=came + len(anonymous),
        workshop=workshop,
    )
    AnonymousParticipant.objects.bulk_create(
        AnonymousParticipant(
            record=activity,
            age_band=p.age_band,
            gender=p.gender,
            commune=" ".join(p.commune.split())[:80],
        )
        for p in anonymous
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=activity, changed_fields=FIELDS)
    return activity
