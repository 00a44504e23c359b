"""The .ics of an appointment: the person adds it to their phone's calendar. It says the place,
its address and what to bring; never the volunteer's name nor why the person comes."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event

from .models import Appointment
from .reminders import place_address


def appointment_ics(appointment: Appointment) -> bytes:
    place = appointment.reception_point
    calendar = Calendar()
    calendar.add("prodid", "-//solidarnum//permanences//FR")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{appointment.public_token}@solidarnum")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", f"Rendez-vous · {place.name}")
    event.add("location", place_address(place))
    if appointment.what_to_bring:
        event.add("description", f"À apporter : {appointment.what_to_bring}")
    calendar.add_component(event)
    return calendar.to_ical()
