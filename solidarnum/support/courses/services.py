"""Courses: a cohort runs a template (its half-day sessions dated from the first day), people
enrol, attendance is taken per half-day (signed on the tablet or ticked by staff, with late
arrival and early departure); at the course's threshold the person gets the attestation de fin
de parcours and the "Parcours terminé" milestone reaches their référent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, QuerySet
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
from solidarnum.support.enums import CourseKind, Presence
from solidarnum.support.models import (
    Attendance,
    Cohort,
    CohortSession,
    CourseModule,
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
    planned = list(_planned(template).select_related("module"))
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


# --- The catalogue: templates, their modules and half-days (ADR 0042) ---------------------------

TEMPLATE_FIELDS = ("name", "kind", "description", "attendance_threshold", "is_active")
# A half-day: the morning starts at 9:00, the afternoon at 14:00 (`schedule.half_days`).
SHORTEST_SESSION, LONGEST_SESSION = 15, 300


def _national(scope: Scope) -> None:
    if not permissions.can_edit_catalogue(scope):
        raise ServiceError(_("Seule l'équipe nationale modifie le catalogue des parcours."))


def _clean_title(title: str, message: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ServiceError(message)
    return title


def _check_template(
    template: CourseTemplate | None, *, name: str, kind: str, attendance_threshold: int
) -> None:
    if kind not in CourseKind.values:
        raise ServiceError(_("Choisissez le type de parcours."))
    if not 1 <= attendance_threshold <= 100:
        raise ServiceError(_("Le seuil d'assiduité est un pourcentage entre 1 et 100."))
    same_name = CourseTemplate.objects.filter(name__iexact=name)
    if template is not None:
        same_name = same_name.exclude(pk=template.pk)
    if same_name.exists():
        raise ServiceError(_("Un parcours porte déjà ce nom."))


EMPTY_COURSE = _(
    "Un parcours sans séance ne peut pas être actif : ajoutez ses séances, puis activez-le."
)


@transaction.atomic
def create_course_template(
    *,
    acting_user: User,
    scope: Scope,
    name: str,
    kind: str,
    description: str = "",
    attendance_threshold: int = 80,
    is_active: bool = False,
) -> CourseTemplate:
    """A new course, inactive until it has its half-days (a new course has none yet)."""
    _national(scope)
    name = _clean_title(name, _("Donnez un nom au parcours."))
    _check_template(None, name=name, kind=kind, attendance_threshold=attendance_threshold)
    if is_active:
        raise ServiceError(EMPTY_COURSE)
    template = CourseTemplate.objects.create(
        name=name,
        kind=kind,
        description=description.strip(),
        attendance_threshold=attendance_threshold,
        is_active=False,
    )
    record(
        actor=acting_user, action=AuditAction.CREATE, obj=template, changed_fields=TEMPLATE_FIELDS
    )
    return template


@transaction.atomic
def update_course_template(
    *,
    acting_user: User,
    scope: Scope,
    template: CourseTemplate,
    name: str,
    kind: str,
    description: str,
    attendance_threshold: int,
    is_active: bool,
) -> CourseTemplate:
    """Its name, kind, description and activity; its threshold only until a cohort started it
    (the threshold a started cohort is judged by does not move under it)."""
    _national(scope)
    template = CourseTemplate.objects.select_for_update().get(pk=template.pk)
    name = _clean_title(name, _("Donnez un nom au parcours."))
    _check_template(template, name=name, kind=kind, attendance_threshold=attendance_threshold)
    values = {
        "name": name,
        "kind": kind,
        "description": description.strip(),
        "attendance_threshold": attendance_threshold,
        "is_active": is_active,
    }
    changed = [field for field, value in values.items() if getattr(template, field) != value]
    if "attendance_threshold" in changed and _started(template):
        raise ServiceError(
            _(
                "Des groupes ont déjà commencé ce parcours : son seuil d'assiduité ne change "
                "plus. Pour un autre seuil, créez un nouveau parcours."
            )
        )
    if is_active and not _planned(template).exists():
        raise ServiceError(EMPTY_COURSE)
    if changed:
        for field in changed:
            setattr(template, field, values[field])
        template.save(update_fields=changed)
        record(actor=acting_user, action=AuditAction.UPDATE, obj=template, changed_fields=changed)
    return template


def _planned(template: CourseTemplate) -> QuerySet[TemplateSession]:
    """The half-days a cohort opened today would run (retired ones left out)."""
    return TemplateSession.objects.filter(
        module__template=template, module__retired_at__isnull=True, retired_at__isnull=True
    )


def _started(template: CourseTemplate) -> bool:
    return CohortSession.objects.filter(
        cohort__template=template, starts_at__lte=timezone.now()
    ).exists()


def _keeps_a_session(template: CourseTemplate, *, without: QuerySet[TemplateSession]) -> None:
    if template.is_active and not _planned(template).exclude(pk__in=without).exists():
        raise ServiceError(
            _(
                "Un parcours actif garde au moins une séance : désactivez-le d'abord, ou "
                "ajoutez une autre séance."
            )
        )


@transaction.atomic
def add_course_module(
    *, acting_user: User, scope: Scope, template: CourseTemplate, title: str
) -> CourseModule:
    """A module at the end of the course."""
    _national(scope)
    title = _clean_title(title, _("Donnez un titre au module."))
    locked = CourseTemplate.objects.select_for_update().get(pk=template.pk)
    last = CourseModule.objects.filter(template=locked).aggregate(last=Max("order"))["last"]
    module = CourseModule.objects.create(template=locked, order=(last or 0) + 1, title=title)
    record(
        actor=acting_user, action=AuditAction.CREATE, obj=module, changed_fields=["title", "order"]
    )
    return module


@transaction.atomic
def rename_course_module(
    *, acting_user: User, scope: Scope, module: CourseModule, title: str
) -> CourseModule:
    _national(scope)
    title = _clean_title(title, _("Donnez un titre au module."))
    if title != module.title:
        module.title = title
        module.save(update_fields=["title"])
        record(actor=acting_user, action=AuditAction.UPDATE, obj=module, changed_fields=["title"])
    return module


@transaction.atomic
def move_course_module(
    *, acting_user: User, scope: Scope, module: CourseModule, up: bool
) -> CourseModule:
    """Swap the module with the one before (`up`) or after it; the first stays first. Cohorts
    already opened keep their dated half-days."""
    _national(scope)
    CourseTemplate.objects.select_for_update().get(pk=module.template_id)
    siblings = CourseModule.objects.filter(template_id=module.template_id)
    current = siblings.get(pk=module.pk)
    active = siblings.filter(retired_at__isnull=True)
    neighbour = (
        active.filter(order__lt=current.order).order_by("-order").first()
        if up
        else active.filter(order__gt=current.order).order_by("order").first()
    )
    if neighbour is None:
        return current
    mine, theirs = current.order, neighbour.order
    spare = (siblings.aggregate(last=Max("order"))["last"] or 0) + 1  # (template, order) is unique
    for obj, order in ((current, spare), (neighbour, mine), (current, theirs)):
        obj.order = order
        obj.save(update_fields=["order"])
    for obj in (current, neighbour):
        record(actor=acting_user, action=AuditAction.UPDATE, obj=obj, changed_fields=["order"])
    return current


def _used(sessions: QuerySet[TemplateSession]) -> set[int]:
    return set(
        CohortSession.objects.filter(template_session__in=sessions).values_list(
            "template_session_id", flat=True
        )
    )


@transaction.atomic
def remove_course_module(*, acting_user: User, scope: Scope, module: CourseModule) -> bool:
    """Delete the module and its half-days; once a cohort ran one of them, retire it instead
    (that cohort keeps its history). True when deleted."""
    _national(scope)
    template = CourseTemplate.objects.select_for_update().get(pk=module.template_id)
    sessions = TemplateSession.objects.filter(module=module)
    _keeps_a_session(template, without=sessions)
    if _used(sessions) or CohortSession.objects.filter(module=module).exists():
        now = timezone.now()
        sessions.filter(retired_at__isnull=True).update(retired_at=now)
        module.retired_at = now
        module.save(update_fields=["retired_at"])
        record(
            actor=acting_user, action=AuditAction.UPDATE, obj=module, changed_fields=["retired_at"]
        )
        return False
    for session in sessions:
        record(actor=acting_user, action=AuditAction.DELETE, obj=session)
    record(actor=acting_user, action=AuditAction.DELETE, obj=module)
    module.delete()
    return True


def _check_session(title: str, duration_minutes: int) -> str:
    title = _clean_title(title, _("Donnez un titre à la séance."))
    if not SHORTEST_SESSION <= duration_minutes <= LONGEST_SESSION:
        raise ServiceError(
            _("Une séance dure une demi-journée : de %(low)s minutes à %(high)s heures.")
            % {"low": SHORTEST_SESSION, "high": LONGEST_SESSION // 60}
        )
    return title


@transaction.atomic
def add_template_session(
    *, acting_user: User, scope: Scope, module: CourseModule, title: str, duration_minutes: int
) -> TemplateSession:
    """A half-day at the end of the module, planned for the cohorts opened from now on."""
    _national(scope)
    title = _check_session(title, duration_minutes)
    locked = CourseModule.objects.select_for_update().get(pk=module.pk)
    last = TemplateSession.objects.filter(module=locked).aggregate(last=Max("order"))["last"]
    session = TemplateSession.objects.create(
        module=locked, order=(last or 0) + 1, title=title, duration_minutes=duration_minutes
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=session,
        changed_fields=["title", "duration_minutes", "order"],
    )
    return session


@transaction.atomic
def update_template_session(
    *,
    acting_user: User,
    scope: Scope,
    session: TemplateSession,
    title: str,
    duration_minutes: int,
) -> TemplateSession:
    """Its title and duration. A cohort copies the durations when it opens (its dated
    half-days), so a new duration applies to the cohorts opened afterwards, never to the hours
    of a cohort already opened."""
    _national(scope)
    title = _check_session(title, duration_minutes)
    values = {"title": title, "duration_minutes": duration_minutes}
    changed = [field for field, value in values.items() if getattr(session, field) != value]
    if changed:
        for field in changed:
            setattr(session, field, values[field])
        session.save(update_fields=changed)
        record(actor=acting_user, action=AuditAction.UPDATE, obj=session, changed_fields=changed)
    return session


@transaction.atomic
def remove_template_session(*, acting_user: User, scope: Scope, session: TemplateSession) -> bool:
    """Delete the half-day; once a cohort ran it, retire it instead. True when deleted."""
    _national(scope)
    template = CourseTemplate.objects.select_for_update().get(pk=session.module.template_id)
    only = TemplateSession.objects.filter(pk=session.pk)
    _keeps_a_session(template, without=only)
    if _used(only):
        session.retired_at = timezone.now()
        session.save(update_fields=["retired_at"])
        record(
            actor=acting_user, action=AuditAction.UPDATE, obj=session, changed_fields=["retired_at"]
        )
        return False
    record(actor=acting_user, action=AuditAction.DELETE, obj=session)
    session.delete()
    return True
