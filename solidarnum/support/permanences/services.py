"""Permanences connectées: weekly slots and their exceptions, booking a person with a volunteer
(staff, or a référent when the site allows it), moving and cancelling, the statuses after the
session, the waiting list.

Concurrency: a booking locks its slot's pattern row, then the volunteer's user row
(`select_for_update`, always in this order), so that ten people booking the same slot, or the
same volunteer at the same time, end with one booking and a clear message for the others; the
partial unique index `appointment_slot_once` holds the slot even without the lock.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.common.errors import ServiceError
from solidarnum.network.models import ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.support import permissions, reminders, staffing
from solidarnum.support.enums import AppointmentStatus, SessionKind
from solidarnum.support.models import (
    Appointment,
    SiteSettings,
    SlotException,
    SlotPattern,
    WaitingEntry,
)
from solidarnum.support.selectors import busy_user_ids, free_animator_ids, site_animator_ids

from .selectors import occurrence, referents_may_book, runs_on

PATTERN_FIELDS = ["weekday", "start_time", "duration_minutes", "room", "valid_from", "valid_until"]


def _require_staff(scope: Scope, site_id: int) -> None:
    if not permissions.is_staff_of(scope, site_id):
        raise ServiceError(_("Seule l'équipe du point d'accueil gère ses permanences."))


def _minutes(start: time, minutes: int) -> tuple[int, int]:
    begin = start.hour * 60 + start.minute
    return begin, begin + minutes


@transaction.atomic
def create_slot_pattern(
    *,
    acting_user: User,
    scope: Scope,
    reception_point: ReceptionPoint,
    weekday: int,
    start_time: time,
    duration_minutes: int,
    room: str,
    valid_from: date,
    valid_until: date | None = None,
) -> SlotPattern:
    """A weekly slot; refused when it overlaps another slot of the same room."""
    _require_staff(scope, reception_point.pk)
    room = " ".join(room.split())
    if not room:
        raise ServiceError(_("Indiquez la salle du créneau."))
    if not 15 <= duration_minutes <= 240:
        raise ServiceError(_("Un créneau dure de 15 minutes à 4 heures."))
    if valid_until is not None and valid_until < valid_from:
        raise ServiceError(_("La date de fin du créneau précède sa date de début."))
    begin, end = _minutes(start_time, duration_minutes)
    if end > 24 * 60:
        raise ServiceError(_("Un créneau se termine le jour où il commence."))
    # Lock the site's patterns of that day: two overlapping slots created at once cannot both pass.
    same_room = SlotPattern.objects.select_for_update().filter(
        reception_point=reception_point, weekday=weekday, room__iexact=room, is_active=True
    )
    for other in same_room:
        other_begin, other_end = _minutes(other.start_time, other.duration_minutes)
        dates_meet = (other.valid_until is None or other.valid_until >= valid_from) and (
            valid_until is None or valid_until >= other.valid_from
        )
        if dates_meet and begin < other_end and other_begin < end:
            raise ServiceError(
                _("Ce créneau chevauche celui du %(day)s à %(hour)s dans la salle %(room)s.")
                % {
                    "day": other.get_weekday_display(),
                    "hour": other.start_time.strftime("%H:%M"),
                    "room": other.room,
                }
            )
    pattern = SlotPattern.objects.create(
        reception_point=reception_point,
        weekday=weekday,
        start_time=start_time,
        duration_minutes=duration_minutes,
        room=room,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=pattern, changed_fields=PATTERN_FIELDS)
    return pattern


@transaction.atomic
def end_slot_pattern(
    *, acting_user: User, scope: Scope, pattern: SlotPattern, last_day: date
) -> None:
    """The slot stops after `last_day`; refused while later bookings hold it."""
    _require_staff(scope, pattern.reception_point_id)
    after = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    if (
        Appointment.objects.filter(pattern=pattern, starts_at__gte=after)
        .exclude(status=AppointmentStatus.CANCELLED)
        .exists()
    ):
        raise ServiceError(
            _("Des personnes sont inscrites après cette date : annulez d'abord leur permanence.")
        )
    pattern.valid_until = last_day
    pattern.save(update_fields=["valid_until"])
    record(
        actor=acting_user, action=AuditAction.UPDATE, obj=pattern, changed_fields=["valid_until"]
    )


@transaction.atomic
def add_slot_exception(
    *, acting_user: User, scope: Scope, pattern: SlotPattern, on: date, reason: str = ""
) -> SlotException:
    """The slot does not take place that day; refused while a booking holds it."""
    _require_staff(scope, pattern.reception_point_id)
    SlotPattern.objects.select_for_update().get(pk=pattern.pk)
    if not runs_on(pattern, on):
        raise ServiceError(_("Ce créneau n'a pas lieu ce jour-là."))
    starts_at, _ends_at = occurrence(pattern, on)
    if (
        Appointment.objects.filter(pattern=pattern, starts_at=starts_at)
        .exclude(status=AppointmentStatus.CANCELLED)
        .exists()
    ):
        raise ServiceError(
            _(
                "Une personne est inscrite sur ce créneau : annulez ou déplacez "
                "d'abord sa permanence."
            )
        )
    exception, created = SlotException.objects.get_or_create(
        pattern=pattern, on=on, defaults={"reason": reason[:120]}
    )
    if created:
        record(actor=acting_user, action=AuditAction.CREATE, obj=exception, changed_fields=["on"])
    return exception


def _slot_start(pattern: SlotPattern, starts_at: datetime) -> datetime:
    """The slot's start, checked against the pattern (its day, time, validity, exceptions)."""
    local = timezone.localtime(starts_at)
    expected, _end = occurrence(pattern, local.date())
    if (
        not runs_on(pattern, local.date())
        or expected != starts_at
        or pattern.exceptions.filter(on=local.date()).exists()
    ):
        raise ServiceError(_("Ce créneau n'existe pas à cette date : choisissez-en un autre."))
    if starts_at <= timezone.now():
        raise ServiceError(_("Ce créneau est passé : choisissez-en un à venir."))
    return expected


def _need(pattern: SlotPattern, starts_at: datetime, person: Beneficiary) -> staffing.Need:
    return staffing.Need(
        site_id=pattern.reception_point_id,
        starts_at=starts_at,
        ends_at=starts_at + pattern.duration,
        skill=SessionKind.ONE_TO_ONE,
        languages=tuple(code for code in (person.languages or ()) if isinstance(code, str)),
        beneficiary_id=person.pk,
    )


def _lock_volunteer(need: staffing.Need, volunteer: User | None, *, exclude: int | None) -> User:
    """The volunteer for this need, locked and checked free; chosen from the proposals when
    none is given (a référent's booking)."""
    if volunteer is None:
        proposals = staffing.propose(
            need, free_animator_ids(need.site_id, need.starts_at, need.ends_at)
        )
        if not proposals:
            raise ServiceError(
                _("Aucun bénévole n'est libre sur ce créneau : choisissez-en un autre.")
            )
        volunteer = User.objects.get(pk=proposals[0].user_id)
    if volunteer.pk not in site_animator_ids(need.site_id):
        raise ServiceError(_("Cette personne ne fait pas partie de l'équipe du point d'accueil."))
    User.objects.select_for_update().filter(pk=volunteer.pk).first()
    if busy_user_ids([volunteer.pk], need.starts_at, need.ends_at, except_appointment=exclude):
        raise ServiceError(
            _("%(name)s accompagne déjà quelqu'un à cette heure-là : choisissez un autre bénévole.")
            % {"name": volunteer.get_full_name() or volunteer.email}
        )
    refusal = staffing.refusal_for(need, volunteer.pk)
    if refusal:
        raise ServiceError(refusal)
    return volunteer


def _may_book(scope: Scope, person: Beneficiary, site_id: int) -> bool:
    if person.reception_point_id != site_id:
        return False
    if permissions.is_staff_of(scope, site_id):
        return True
    return (
        scope.role == Role.REFERENT
        and scope.user is not None
        and person.referent_id == scope.user.pk
        and referents_may_book(site_id)
    )


@transaction.atomic
def book_appointment(
    *,
    acting_user: User,
    scope: Scope,
    beneficiary: Beneficiary,
    pattern: SlotPattern,
    starts_at: datetime,
    volunteer: User | None = None,
    what_to_bring: str = "",
) -> Appointment:
    """Book the person into the slot with the volunteer (staff choose; for a référent, the first
    free volunteer proposed). The person is told by SMS (or e-mail) after commit."""
    if not _may_book(scope, beneficiary, pattern.reception_point_id):
        raise ServiceError(_("Vous ne pouvez pas réserver de permanence pour cette personne ici."))
    if beneficiary.anonymised_at is not None or beneficiary.merged_into_id is not None:
        raise ServiceError(_("Ce dossier n'est plus actif."))
    if scope.role == Role.REFERENT:
        volunteer = None  # the site's team decides who accompanies
    locked = SlotPattern.objects.select_for_update().get(pk=pattern.pk)
    starts_at = _slot_start(locked, starts_at)
    if (
        Appointment.objects.filter(pattern=locked, starts_at=starts_at)
        .exclude(status=AppointmentStatus.CANCELLED)
        .exists()
    ):
        raise ServiceError(_("Ce créneau vient d'être réservé : choisissez-en un autre."))
    need = _need(locked, starts_at, beneficiary)
    chosen = _lock_volunteer(need, volunteer, exclude=None)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                reception_point_id=locked.reception_point_id,
                pattern=locked,
                starts_at=starts_at,
                ends_at=need.ends_at,
                room=locked.room,
                beneficiary=beneficiary,
                volunteer=chosen,
                what_to_bring=" ".join(what_to_bring.split())[:160],
                booked_by=acting_user,
                booked_by_referent=scope.role == Role.REFERENT,
            )
    except IntegrityError as error:
        raise ServiceError(
            _("Ce créneau vient d'être réservé : choisissez-en un autre.")
        ) from error
    WaitingEntry.objects.filter(
        reception_point_id=locked.reception_point_id,
        beneficiary=beneficiary,
        served_at__isnull=True,
    ).update(served_at=timezone.now())
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=appointment,
        changed_fields=["beneficiary", "starts_at", "volunteer", "room"],
    )
    add_entry(
        beneficiary=beneficiary,
        kind="support.appointment_booked",
        summary=_("Permanence connectée réservée le %(when)s")
        % {"when": timezone.localtime(starts_at).strftime("%d/%m/%Y %H:%M")},
        actor=acting_user,
        obj=appointment,
    )
    appointment.reception_point = locked.reception_point
    reminders.send_booked(appointment)
    return appointment


@transaction.atomic
def move_appointment(
    *,
    acting_user: User,
    scope: Scope,
    appointment: Appointment,
    pattern: SlotPattern,
    starts_at: datetime,
    volunteer: User | None,
) -> Appointment:
    """Another slot or another volunteer; the person is told the new time (never the old one)."""
    _require_staff(scope, appointment.reception_point_id)
    if pattern.reception_point_id != appointment.reception_point_id:
        raise ServiceError(_("Choisissez un créneau du même point d'accueil."))
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status != AppointmentStatus.UPCOMING:
        raise ServiceError(_("Seule une permanence à venir peut être déplacée."))
    locked = SlotPattern.objects.select_for_update().get(pk=pattern.pk)
    starts_at = _slot_start(locked, starts_at)
    taken = (
        Appointment.objects.filter(pattern=locked, starts_at=starts_at)
        .exclude(status=AppointmentStatus.CANCELLED)
        .exclude(pk=current.pk)
    )
    if taken.exists():
        raise ServiceError(_("Ce créneau vient d'être réservé : choisissez-en un autre."))
    need = _need(locked, starts_at, current.beneficiary)
    chosen = _lock_volunteer(need, volunteer or current.volunteer, exclude=current.pk)
    changed = current.starts_at != starts_at or current.room != locked.room
    current.pattern = locked
    current.starts_at = starts_at
    current.ends_at = need.ends_at
    current.room = locked.room
    current.volunteer = chosen
    current.reminded_before_at = None
    current.reminded_same_day_at = None
    fields = ["pattern", "starts_at", "ends_at", "room", "volunteer"]
    kept = ["reminded_before_at", "reminded_same_day_at"]
    if changed:
        current.moved_at = timezone.now()
        kept.append("moved_at")
    current.save(update_fields=[*fields, *kept])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=current, changed_fields=fields)
    if changed:
        reminders.send_changed(current)
    return current


@transaction.atomic
def cancel_appointment(*, acting_user: User, scope: Scope, appointment: Appointment) -> None:
    """The slot is free again; the person is told (a reminder queued before is not sent)."""
    allowed = permissions.is_staff_of(scope, appointment.reception_point_id) or (
        scope.role == Role.REFERENT
        and appointment.booked_by_referent
        and scope.user is not None
        and appointment.beneficiary.referent_id == scope.user.pk
    )
    if not allowed:
        raise ServiceError(_("Seule l'équipe du point d'accueil annule cette permanence."))
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status != AppointmentStatus.UPCOMING:
        raise ServiceError(
            _("Cette permanence n'est plus à venir : elle ne peut pas être annulée.")
        )
    current.status = AppointmentStatus.CANCELLED
    current.status_changed_at = timezone.now()
    current.save(update_fields=["status", "status_changed_at"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=current, changed_fields=["status"])
    if current.starts_at > timezone.now():
        reminders.send_cancelled(current)


@transaction.atomic
def resend_appointment_link(*, acting_user: User, scope: Scope, appointment: Appointment) -> None:
    """The booking SMS again (its time, place and the link to the person's page), for someone
    who lost it or changed phone; followed in the delivery log like the first one."""
    _require_staff(scope, appointment.reception_point_id)
    current = Appointment.objects.select_related("beneficiary", "reception_point").get(
        pk=appointment.pk
    )
    if current.status != AppointmentStatus.UPCOMING or current.starts_at <= timezone.now():
        raise ServiceError(_("Seul le lien d'une permanence à venir se renvoie."))
    if reminders.send_booked(current) is None:
        raise ServiceError(
            _("Cette personne n'a ni téléphone ni e-mail : donnez-lui l'adresse de la page.")
        )
    record(actor=acting_user, action=AuditAction.EXPORT, obj=current)


AFTER_SESSION = (AppointmentStatus.CAME, AppointmentStatus.ABSENT, AppointmentStatus.EXCUSED)


@transaction.atomic
def set_appointment_status(
    *, acting_user: User, scope: Scope, appointment: Appointment, status: str
) -> Appointment:
    """Venu, absent (after the start) or excusé (any time): by the site's staff or the volunteer
    of the session. Two absences flag the person to staff; nothing blocks them."""
    if not permissions.can_run(
        scope,
        reception_point_id=appointment.reception_point_id,
        animator_ids={appointment.volunteer_id},
    ):
        raise ServiceError(
            _("Seuls l'équipe du point d'accueil et le bénévole de la séance le notent.")
        )
    if status not in AFTER_SESSION:
        raise ServiceError(_("Choisissez venu, excusé ou absent."))
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status == AppointmentStatus.CANCELLED:
        raise ServiceError(_("Cette permanence est annulée."))
    if status != AppointmentStatus.EXCUSED and current.starts_at > timezone.now():
        raise ServiceError(
            _("La séance n'a pas encore commencé : notez la présence après son début.")
        )
    if current.status == status:
        return current
    current.status = status
    current.status_changed_at = timezone.now()
    current.save(update_fields=["status", "status_changed_at"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=current, changed_fields=["status"])
    return current


@transaction.atomic
def add_to_waiting_list(
    *, acting_user: User, scope: Scope, beneficiary: Beneficiary, note: str = ""
) -> WaitingEntry:
    site_id = beneficiary.reception_point_id
    _require_staff(scope, site_id)
    entry, created = WaitingEntry.objects.get_or_create(
        reception_point_id=site_id,
        beneficiary=beneficiary,
        served_at__isnull=True,
        defaults={"note": " ".join(note.split())[:160], "created_by": acting_user},
    )
    if not created:
        raise ServiceError(_("Cette personne est déjà sur la liste d'attente."))
    record(actor=acting_user, action=AuditAction.CREATE, obj=entry, changed_fields=["beneficiary"])
    return entry


@transaction.atomic
def remove_from_waiting_list(*, acting_user: User, scope: Scope, entry: WaitingEntry) -> None:
    _require_staff(scope, entry.reception_point_id)
    entry.served_at = timezone.now()
    entry.save(update_fields=["served_at"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=entry, changed_fields=["served_at"])


@transaction.atomic
def set_referent_booking(
    *, acting_user: User, scope: Scope, reception_point: ReceptionPoint, allowed: bool
) -> SiteSettings:
    """The site manager lets référents book permanences for the people they refer, or not."""
    if not (scope.role == Role.SITE_MANAGER and scope.reception_point_id == reception_point.pk):
        raise ServiceError(_("Seul le responsable du point d'accueil change ce réglage."))
    settings_row, _created = SiteSettings.objects.get_or_create(reception_point=reception_point)
    settings_row.referents_may_book = allowed
    settings_row.save(update_fields=["referents_may_book"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=settings_row,
        changed_fields=["referents_may_book"],
    )
    return settings_row
