"""Courses: a cohort runs a template (its half-day sessions dated from the first day), people
enrol, attendance is taken per half-day (signed on the tablet or ticked by staff, with late
arrival and early departure); at the course's threshold the person gets the attestation de fin
de parcours and the "Parcours terminé" milestone reaches their référent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.common.errors import ServiceError
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.support import permissions
from solidarnum.support.enums import Presence
from solidarnum.support.models import (
    Attendance,
    Cohort,
    CohortSession,
    CourseTemplate,
    Enrolment,
    TemplateSession,
)
from solidarnum.support.selectors import site_animator_ids

from .schedule import half_days
from .selectors import cohort_board


@transaction.atomic
def create_cohort(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    template: CourseTemplate,
    name: str,
    starts_on: date,
    capacity: int,
    animators: list[User],
    partner_structure: PartnerStructure | None = None,
    funder_programme: str = "",
    room: str = "",
) -> Cohort:
    """A group running the template, its sessions dated half-day after half-day."""
    if not permissions.is_staff_of(scope, reception_point.pk):
        raise ServiceError(_("Seule l'équipe du point d'accueil ouvre un groupe."))
    planned = list(
        TemplateSession.objects.filter(module__template=template).select_related("module")
    )
    if not planned:
        raise ServiceError(
            _("Ce parcours n'a aucune séance : ajoutez-en au modèle avant d'ouvrir un groupe.")
        )
    name = " ".join(name.split())
    if not name:
        raise ServiceError(_("Donnez un nom au groupe."))
    if capacity < 1:
        raise ServiceError(_("Indiquez le nombre de places."))
    if not animators or not {u.pk for u in animators} <= set(site_animator_ids(reception_point.pk)):
        raise ServiceError(_("Choisissez qui anime, dans l'équipe du point d'accueil."))
    cohort = Cohort.objects.create(
        template=template,
        reception_point=reception_point,
        name=name,
        starts_on=starts_on,
        capacity=capacity,
        partner_structure=partner_structure,
        funder_programme=funder_programme.strip(),
        room=room.strip(),
    )
    cohort.animators.set(animators)
    CohortSession.objects.bulk_create(
        CohortSession(
            cohort=cohort,
            template_session=session,
            module=session.module,
            starts_at=moment,
            ends_at=moment + timedelta(minutes=session.duration_minutes),
        )
        for session, moment in zip(planned, half_days(starts_on, len(planned)), strict=True)
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=cohort,
        changed_fields=["template", "name", "starts_on", "capacity", "animators"],
    )
    return cohort


@transaction.atomic
def enrol_person(
    *, acting_user: User, scope: Scope, cohort: Cohort, beneficiary: Beneficiary
) -> Enrolment:
    if not permissions.is_staff_of(scope, cohort.reception_point_id):
        raise ServiceError(_("Seule l'équipe du point d'accueil inscrit à un parcours."))
    if beneficiary.reception_point_id != cohort.reception_point_id:
        raise ServiceError(_("Cette personne n'a pas de dossier dans ce point d'accueil."))
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if Enrolment.objects.filter(cohort=locked, beneficiary=beneficiary).exists():
        raise ServiceError(_("Cette personne est déjà inscrite à ce groupe."))
    if Enrolment.objects.filter(cohort=locked).count() >= locked.capacity:
        raise ServiceError(_("Le groupe est complet."))
    enrolment = Enrolment.objects.create(
        cohort=locked, beneficiary=beneficiary, enrolled_at=timezone.now()
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=enrolment, changed_fields=["cohort"])
    add_entry(
        beneficiary=beneficiary,
        kind="support.course_enrolled",
        summary=_("Inscrit·e au parcours « %(name)s »") % {"name": locked.template.name},
        actor=acting_user,
        obj=locked,
    )
    return enrolment


@dataclass(frozen=True)
class Mark:
    enrolment_id: int
    presence: str
    late_minutes: int = 0
    left_early_minutes: int = 0
    signature: str = ""


@transaction.atomic
def take_attendance(
    *, acting_user: User, scope: Scope, session: CohortSession, marks: list[Mark]
) -> list[Enrolment]:
    """The sheet of one half-day; returns the enrolments that reached the threshold with it
    (their attestation is issued, the milestone recorded)."""
    cohort = session.cohort
    animators = set(cohort.animators.values_list("pk", flat=True))
    if not permissions.can_run(
        scope, reception_point_id=cohort.reception_point_id, animator_ids=animators
    ):
        raise ServiceError(_("Seuls l'équipe et les animateurs du groupe font l'émargement."))
    if session.starts_at > timezone.now():
        raise ServiceError(
            _("Cette séance n'a pas encore commencé : l'émargement se fait pendant ou après.")
        )
    allowed = set(
        cohort.enrolments.filter(enrolled_at__lte=session.starts_at).values_list("pk", flat=True)
    )
    duration = session.duration_minutes
    for mark in marks:
        if mark.enrolment_id not in allowed:
            raise ServiceError(_("Une des personnes n'était pas inscrite à cette séance."))
        if mark.presence not in Presence.values:
            raise ServiceError(_("Dites pour chaque personne si elle est présente."))
        if mark.late_minutes < 0 or mark.left_early_minutes < 0:
            raise ServiceError(_("Un retard ou un départ anticipé se compte en minutes positives."))
        if (
            mark.late_minutes + mark.left_early_minutes >= duration
            and mark.presence == Presence.PRESENT
        ):
            raise ServiceError(
                _("Le retard et le départ anticipé dépassent la durée de la séance.")
            )
    for mark in marks:
        present = mark.presence == Presence.PRESENT
        Attendance.objects.update_or_create(
            session=session,
            enrolment_id=mark.enrolment_id,
            defaults={
                "presence": mark.presence,
                "late_minutes": mark.late_minutes if present else 0,
                "left_early_minutes": mark.left_early_minutes if present else 0,
                "minutes": duration - mark.late_minutes - mark.left_early_minutes if present else 0,
                "signature": mark.signature[:20000] if present else "",
                "recorded_by": acting_user,
            },
        )
    record(actor=acting_user, action=AuditAction.UPDATE, obj=session, changed_fields=["attendance"])
    return _issue_attestations(cohort, acting_user)


def _issue_attestations(cohort: Cohort, acting_user: User) -> list[Enrolment]:
    _sessions, progress = cohort_board(cohort)
    issued = []
    now = timezone.now()
    for p in progress:
        enrolment = p.enrolment
        if enrolment.attestation_at is None and p.reaches_threshold:
            enrolment.attestation_at = now
            enrolment.save(update_fields=["attestation_at"])
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=enrolment,
                changed_fields=["attestation_at"],
            )
            add_entry(
                beneficiary=enrolment.beneficiary,
                kind="support.course_finished",
                summary=_("Parcours « %(name)s » terminé") % {"name": cohort.template.name},
                actor=acting_user,
                milestone=Milestone.COURSE_FINISHED,
                obj=enrolment,
            )
            issued.append(enrolment)
    return issued
