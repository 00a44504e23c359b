"""Messages to the person about a permanence connectée, all through `notifications.notify`: the
booking, the reminders (two days before at 09:00 and the morning of), a change, a cancellation.

They carry the place, its address, the time and the link to the person's appointment page (what
to bring, the number to call, the map, the calendar file, in their language), in the person's
language; never the volunteer's name nor why the person comes. What to bring stays off the SMS:
the team writes it in French, and the link costs the room it would take (a budget test counts
the segments). Each message is logged with the appointment and its
fingerprint (status, time, room): one queued for an appointment changed or cancelled since is not
sent (ADR 0031, `staleness`), so a stale reminder never goes.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from solidarnum.common.links import absolute_url
from solidarnum.notifications import messages
from solidarnum.notifications.enums import Channel, MessageKind
from solidarnum.notifications.models import Message
from solidarnum.notifications.notify import Recipient, notify

from .enums import AppointmentStatus
from .models import Appointment

_SAMPLE = {
    "place": "Paris 19e",
    "address": "12 rue de l'Ourcq, 75019 Paris",
    "time": datetime(2026, 12, 8, 14, 0, tzinfo=UTC),
    # As long as a real one: the SMS budget test counts it.
    "link": "https://solidarnum.example.org/accompagner/rdv/3f2504e0-4f89-11d3-9a0c-0305e82c3301/",
}


def _register(
    key: str,
    title: Any,
    sms: str,
    subject: str,
    email: str,
    variables: tuple[str, ...] | None = None,
) -> None:
    names = variables or ("place", "address", "time", "link")
    messages.register(
        messages.MessageTemplate(
            key=key,
            title=title,
            kind=MessageKind.TRANSACTIONAL,
            is_for_person=True,
            variables=names,
            sample={name: _SAMPLE[name] for name in names},
            channels=(Channel.SMS, Channel.EMAIL),
            sms=sms,
            subject=subject,
            email=email,
        )
    )


_register(
    "support.appointment_booked",
    gettext_lazy("Permanence connectée réservée (à la personne)"),
    gettext_noop(
        # Translators: an SMS to the person booked into a one-to-one session with a volunteer.
        # Keep it short. place is the reception point, address its address, time a date and
        # hour, link their appointment's page (what to bring, the number to call).
        "Rendez-vous le %(time)s à %(place)s, %(address)s. Détails : %(link)s"
    ),
    # Translators: the subject of the e-mail confirming a one-to-one session.
    gettext_noop("Votre rendez-vous du %(time)s"),
    gettext_noop(
        # Translators: the e-mail confirming a one-to-one session; plain words.
        "Bonjour,\n\nVous avez rendez-vous le %(time)s à %(place)s : %(address)s.\n"
        "Ce qu'il faut apporter et le numéro à appeler si vous ne pouvez pas venir : %(link)s"
    ),
)
_register(
    "support.appointment_reminder",
    gettext_lazy("Rappel de permanence connectée (à la personne)"),
    gettext_noop(
        # Translators: a reminder SMS sent two days before and on the morning of a session;
        # link is their appointment's page.
        "Rappel : rendez-vous le %(time)s à %(place)s, %(address)s. Détails : %(link)s"
    ),
    # Translators: the subject of the reminder e-mail of a one-to-one session.
    gettext_noop("Rappel : rendez-vous le %(time)s"),
    gettext_noop(
        # Translators: the reminder e-mail of a one-to-one session; plain words.
        "Bonjour,\n\nRappel : vous avez rendez-vous le %(time)s à %(place)s : %(address)s.\n"
        "Ce qu'il faut apporter et le numéro à appeler si vous ne pouvez pas venir : %(link)s"
    ),
)
_register(
    "support.appointment_changed",
    gettext_lazy("Permanence connectée déplacée (à la personne)"),
    gettext_noop(
        # Translators: an SMS telling the person their session moved to a new time or room;
        # link is their appointment's page.
        "Votre rendez-vous change : le %(time)s à %(place)s, %(address)s. Détails : %(link)s"
    ),
    # Translators: the subject of the e-mail telling the person their session moved.
    gettext_noop("Votre rendez-vous change : %(time)s"),
    gettext_noop(
        # Translators: the e-mail telling the person their session moved; plain words.
        "Bonjour,\n\nVotre rendez-vous change. Nouveau rendez-vous : le %(time)s à %(place)s : "
        "%(address)s.\nCe qu'il faut apporter : %(link)s"
    ),
)
_register(
    "support.appointment_cancelled",
    gettext_lazy("Permanence connectée annulée (à la personne)"),
    gettext_noop(
        # Translators: an SMS telling the person their session is cancelled; link is their
        # appointment's page, which gives the number to call.
        "Votre rendez-vous du %(time)s à %(place)s est annulé. Pour un autre : %(link)s"
    ),
    # Translators: the subject of the e-mail telling the person their session is cancelled.
    gettext_noop("Rendez-vous du %(time)s annulé"),
    gettext_noop(
        # Translators: the e-mail telling the person their session is cancelled; plain words.
        "Bonjour,\n\nVotre rendez-vous du %(time)s à %(place)s est annulé.\n"
        "Pour un autre rendez-vous, appelez l'accueil. Son numéro est sur cette page : %(link)s"
    ),
    variables=("place", "time", "link"),
)


def appointment_fingerprint(object_id: str) -> str | None:
    """What a message about an appointment depends on (registered with notifications.staleness)."""
    row = (
        Appointment.objects.filter(pk=object_id)
        .values_list("status", "starts_at", "room", "reception_point_id")
        .first()
    )
    if row is None:
        return None
    status, starts_at, room, site = row
    return f"{status}:{starts_at.isoformat()}:{room}:{site}"


def place_address(place: Any) -> str:
    street = ", ".join(part for part in (place.address, place.address_complement) if part)
    return f"{street}, {place.postcode} {place.commune}"


def _context(appointment: Appointment) -> dict[str, Any]:
    place = appointment.reception_point
    return {
        "place": place.name,
        "address": place_address(place),
        "time": timezone.localtime(appointment.starts_at),
        "link": page_url(appointment),
    }


def _send(appointment: Appointment, template: str) -> Message | None:
    person = appointment.beneficiary
    if person.anonymised_at is not None:
        return None
    context = _context(appointment)
    if template == "support.appointment_cancelled":
        context = {name: context[name] for name in ("place", "time", "link")}
    return notify(
        recipient=Recipient.of_person(person, beneficiary_id=person.pk),
        template=template,
        context=context,
        related_object=appointment,
        reception_point_id=appointment.reception_point_id,
    )


def send_booked(appointment: Appointment) -> Message | None:
    return _send(appointment, "support.appointment_booked")


def send_changed(appointment: Appointment) -> Message | None:
    return _send(appointment, "support.appointment_changed")


def send_cancelled(appointment: Appointment) -> Message | None:
    return _send(appointment, "support.appointment_cancelled")


def page_url(appointment: Appointment) -> str:
    """The person's page of their appointment (no login: its random token)."""
    return absolute_url("support:appointment_public", token=appointment.public_token)


# --- The scheduled reminders ---------------------------------------------------------------------


def _day_bounds(day: Any) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def _remind(appointments: Any, stamp: str, now: datetime) -> int:
    sent = 0
    for appointment in appointments.select_related("beneficiary", "reception_point"):
        _send(appointment, "support.appointment_reminder")
        Appointment.objects.filter(pk=appointment.pk).update(**{stamp: now})
        sent += 1
    return sent


def remind_two_days_before(*, now: datetime | None = None) -> int:
    """At 09:00 (beat): the appointments of the day after tomorrow, each reminded once."""
    now = now or timezone.now()
    start, end = _day_bounds(timezone.localdate(now) + timedelta(days=2))
    due = Appointment.objects.filter(
        status=AppointmentStatus.UPCOMING,
        starts_at__gte=start,
        starts_at__lt=end,
        reminded_before_at__isnull=True,
    )
    return _remind(due, "reminded_before_at", now)


def remind_same_day(*, now: datetime | None = None) -> int:
    """In the morning (beat, 08:00): today's appointments not started yet, each reminded once."""
    now = now or timezone.now()
    _start, end = _day_bounds(timezone.localdate(now))
    due = Appointment.objects.filter(
        status=AppointmentStatus.UPCOMING,
        starts_at__gte=now,
        starts_at__lt=end,
        reminded_same_day_at__isnull=True,
    )
    return _remind(due, "reminded_same_day_at", now)


# --- A workshop cancelled ------------------------------------------------------------------------

_register(
    "support.workshop_cancelled",
    gettext_lazy("Atelier annulé (à la personne)"),
    gettext_noop(
        # Translators: an SMS telling a person registered in a collective workshop that it is
        # cancelled. place is the reception point, time a date and hour.
        "L'atelier du %(time)s à %(place)s est annulé. Contactez l'accueil pour un autre."
    ),
    # Translators: the subject of the e-mail telling the person a workshop is cancelled.
    gettext_noop("Atelier du %(time)s annulé"),
    gettext_noop(
        # Translators: the e-mail telling the person a workshop is cancelled; plain words.
        "Bonjour,\n\nL'atelier du %(time)s à %(place)s est annulé.\n"
        "Contactez l'accueil pour vous inscrire à un autre atelier."
    ),
    variables=("place", "time"),
)


def send_workshop_cancelled(registration: Any) -> Message | None:
    """To one registered person, in their language (the workshop and its site loaded)."""
    person = registration.beneficiary
    if person.anonymised_at is not None:
        return None
    workshop = registration.workshop
    return notify(
        recipient=Recipient.of_person(person, beneficiary_id=person.pk),
        template="support.workshop_cancelled",
        context={
            "place": workshop.reception_point.name,
            "time": timezone.localtime(workshop.starts_at),
        },
        related_object=workshop,
        reception_point_id=workshop.reception_point_id,
    )
