"""The .ics of an appointment: the person adds it to their phone's calendar, in their language
(ADR 0025). It says the place, its address, what to bring, the number to call and the link to
their appointment's page; never the volunteer's name nor why the person comes."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Appointment
from .reminders import page_url, place_address


def appointment_ics(appointment: Appointment, *, language: str | None = None) -> bytes:
    """`language`: the person's (their page's); French by default (the staff's copy)."""
    place = appointment.reception_point
    calendar = Calendar()
    calendar.add("prodid", "-//solidarnum//permanences//FR")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{appointment.public_token}@solidarnum")
    event.add("dtstamp", timezone.now())
    # A moved appointment keeps its UID: a higher sequence lets a calendar that imports the
    # new file replace the old event rather than keep both.
    if appointment.moved_at is not None:
        event.add("sequence", int(appointment.moved_at.timestamp()))
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("location", place_address(place))
    with translation.override(language or settings.LANGUAGE_CODE):
        # Translators: the title of the appointment in the person's phone calendar (.ics);
        # place is the name of the reception point.
        event.add("summary", _("Rendez-vous à %(place)s") % {"place": place.name})
        lines = []
        if appointment.what_to_bring:
            # Translators: in the calendar entry: what the person brings (written by the team,
            # in French).
            lines.append(_("À apporter : %(bring)s") % {"bring": appointment.what_to_bring})
        if place.phone:
            phone = place.phone.as_national
            # Translators: in the calendar entry: the number to call when the person cannot
            # come to the appointment.
            lines.append(_("Si vous ne pouvez pas venir, appelez le %(phone)s.") % {"phone": phone})
        link = page_url(appointment)
        if link:
            # Translators: in the calendar entry: the link to the page of the appointment (its
            # time, place and state, kept up to date).
            lines.append(_("Votre rendez-vous : %(link)s") % {"link": link})
    if lines:
        event.add("description", "\n".join(lines))
    calendar.add_component(event)
    return calendar.to_ical()
