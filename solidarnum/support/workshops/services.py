"""Collective workshops: creating one with its animators, registering people (a waiting list
once full, the first waiting person taking a freed place), attendance after it starts.

Concurrency: a registration locks the workshop's row, so that ten people taking the last place
at once end with one registered and the others on the waiting list, told so.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.common.errors import ServiceError
from solidarnum.network.models import ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.support import permissions, reminders, staffing
from solidarnum.support.enums import RegistrationStatus, SessionKind, Theme
from solidarnum.support.models import Workshop, WorkshopRegistration
from solidarnum.support.selectors import busy_user_ids, site_animator_ids


def _require_staff(scope: Scope, site_id: int) -> None:
    if not permissions.is_staff_of(scope, site_id):
        raise ServiceError(_("Seule l'équipe du point d'accueil gère ses ateliers."))


@transaction.atomic
def create_workshop(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    title: str,
    theme: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    animators: list[User],
    room: str = "",
    is_outside: bool = False,
    address: str = "",
) -> Workshop:
    _require_staff(scope, reception_point.pk)
    title = " ".join(title.split())
    if not title:
        raise ServiceError(_("Donnez un titre à l'atelier."))
    if theme not in Theme.values:
        raise ServiceError(_("Choisissez le thème de l'atelier."))
    if ends_at <= starts_at:
        raise ServiceError(_("L'atelier se termine après son début."))
    if starts_at <= timezone.now():
        raise ServiceError(_("Un atelier se prévoit à l'avance : choisissez une date à venir."))
    if capacity < 1:
        raise ServiceError(_("Indiquez le nombre de places."))
    if is_outside and not address.strip():
        raise ServiceError(_("Un atelier hors les murs a une adresse."))
    if not animators:
        raise ServiceError(_("Choisissez qui anime l'atelier."))
    team = set(site_animator_ids(reception_point.pk))
    ids = sorted({user.pk for user in animators})
    if not set(ids) <= team:
        raise ServiceError(_("Les animateurs font partie de l'équipe du point d'accueil."))
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    busy = busy_user_ids(ids, starts_at, ends_at)
    if busy:
        names = ", ".join(u.get_full_name() or u.email for u in animators if u.pk in busy)
        raise ServiceError(_("Déjà pris à cette heure-là : %(names)s.") % {"names": names})
    need = staffing.Need(reception_point.pk, starts_at, ends_at, SessionKind.WORKSHOP, (), None)
    for pk in ids:
        refusal = staffing.refusal_for(need, pk)
        if refusal:
            raise ServiceError(refusal)
    workshop = Workshop.objects.create(
        reception_point=reception_point,
        title=title,
        theme=theme,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        room=room.strip(),
        is_outside=is_outside,
        address=address.strip() if is_outside else "",
    )
    workshop.animators.set(ids)
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=workshop,
        changed_fields=["title", "theme", "starts_at", "capacity", "animators"],
    )
    return workshop


@transaction.atomic
def register_person(
    *, acting_user: User, scope: Scope, workshop: Workshop, beneficiary: Beneficiary
) -> WorkshopRegistration:
    """A place if one is left, else the waiting list (the message says which)."""
    _require_staff(scope, workshop.reception_point_id)
    if beneficiary.reception_point_id != workshop.reception_point_id:
        raise ServiceError(_("Cette personne n'a pas de dossier dans ce point d'accueil."))
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if locked.cancelled_at is not None or locked.starts_at <= timezone.now():
        raise ServiceError(_("Les inscriptions à cet atelier sont closes."))
    current = WorkshopRegistration.objects.filter(workshop=locked, beneficiary=beneficiary).first()
    if current is not None and current.status != RegistrationStatus.CANCELLED:
        raise ServiceError(_("Cette personne est déjà inscrite."))
    taken = WorkshopRegistration.objects.filter(
        workshop=locked, status=RegistrationStatus.REGISTERED
    ).count()
    status = (
        RegistrationStatus.REGISTERED if taken < locked.capacity else RegistrationStatus.WAITING
    )
    if current is None:
        current = WorkshopRegistration.objects.create(
            workshop=locked, beneficiary=beneficiary, status=status
        )
    else:
        current.status = status
        current.created_at = timezone.now()  # back at the end of the waiting list
        current.save(update_fields=["status", "created_at"])
    record(actor=acting_user, action=AuditAction.CREATE, obj=current, changed_fields=["status"])
    if status == RegistrationStatus.REGISTERED:
        add_entry(
            beneficiary=beneficiary,
            kind="support.workshop_registered",
            summary=_("Inscrit·e à l'atelier « %(title)s »") % {"title": locked.title},
            actor=acting_user,
            obj=locked,
        )
    return current


@transaction.atomic
def cancel_registration(
    *, acting_user: User, scope: Scope, registration: WorkshopRegistration
) -> WorkshopRegistration | None:
    """The place goes to the first person waiting; returns that person's registration."""
    _require_staff(scope, registration.workshop.reception_point_id)
    locked = Workshop.objects.select_for_update().get(pk=registration.workshop_id)
    current = WorkshopRegistration.objects.select_for_update().get(pk=registration.pk)
    was_registered = current.status == RegistrationStatus.REGISTERED
    current.status = RegistrationStatus.CANCELLED
    current.save(update_fields=["status"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=current, changed_fields=["status"])
    if not was_registered or locked.starts_at <= timezone.now():
        return None
    first = (
        WorkshopRegistration.objects.filter(workshop=locked, status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is not None:
        first.status = RegistrationStatus.REGISTERED
        first.save(update_fields=["status"])
        record(actor=acting_user, action=AuditAction.UPDATE, obj=first, changed_fields=["status"])
    return first


@transaction.atomic
def cancel_workshop(*, acting_user: User, scope: Scope, workshop: Workshop) -> int:
    """The whole workshop: the waiting list closes, the registered people are told in their
    language (after commit, through notify); returns how many were told."""
    _require_staff(scope, workshop.reception_point_id)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if locked.cancelled_at is not None:
        raise ServiceError(_("Cet atelier est déjà annulé."))
    if locked.starts_at <= timezone.now():
        raise ServiceError(_("Cet atelier a commencé : il ne peut plus être annulé."))
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    record(
        actor=acting_user, action=AuditAction.UPDATE, obj=locked, changed_fields=["cancelled_at"]
    )
    registered = list(
        WorkshopRegistration.objects.filter(
            workshop=locked, status=RegistrationStatus.REGISTERED
        ).select_related("beneficiary", "workshop__reception_point")
    )
    WorkshopRegistration.objects.filter(
        workshop=locked,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    ).update(status=RegistrationStatus.CANCELLED)
    for registration in registered:
        reminders.send_workshop_cancelled(registration)
    return len(registered)


@transaction.atomic
def take_workshop_attendance(
    *, acting_user: User, scope: Scope, workshop: Workshop, present_ids: set[int]
) -> int:
    """Who came among the registered people, once the workshop has started."""
    animators = set(workshop.animators.values_list("pk", flat=True))
    if not permissions.can_run(
        scope, reception_point_id=workshop.reception_point_id, animator_ids=animators
    ):
        raise ServiceError(_("Seuls l'équipe et les animateurs de l'atelier notent les présences."))
    if Workshop.objects.filter(pk=workshop.pk, cancelled_at__isnull=False).exists():
        raise ServiceError(_("Cet atelier est annulé : il n'y a pas de présences à noter."))
    if workshop.starts_at > timezone.now():
        raise ServiceError(
            _("L'atelier n'a pas encore commencé : notez les présences après son début.")
        )
    registered = WorkshopRegistration.objects.filter(
        workshop=workshop, status=RegistrationStatus.REGISTERED
    )
    came = registered.filter(pk__in=present_ids).update(attended=True)
    registered.exclude(pk__in=present_ids).update(attended=False)
    record(
        actor=acting_user, action=AuditAction.UPDATE, obj=workshop, changed_fields=["attendance"]
    )
    return came
