"""The person's own page of their appointment, opened from an SMS, and its calendar file: no
login (the appointment's random token, never its pk), in the person's language (ADR 0025).

The page says what, when, where, what to bring and the number to call, and plainly whether it
still holds: a cancelled appointment says so and never shows its time as valid, a moved one
shows only its new time and says it changed, a past one says it is past. Nothing about why the
person comes, nor who accompanies them (the volunteer can change without a message; the
reception answers). Like the satisfaction survey's link, no rate limit: the token is a random
UUID (122 bits), there is nothing to guess, and the page writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from solidarnum.accounts.access import PUBLIC, access
from solidarnum.common.language import (
    LANGUAGE_PARAM,
    language_for_person,
    person_facing,
    supported_language,
    use_visitor_language,
)
from solidarnum.network.maps import map_url
from solidarnum.support import ics, selectors
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import Appointment

UPCOMING, MOVED, CANCELLED, PAST = "upcoming", "moved", "cancelled", "past"


def appointment_state(appointment: Appointment, now: datetime) -> str:
    """What the person must understand first. An appointment excused before its time no longer
    takes place: cancelled, for them."""
    if appointment.status == AppointmentStatus.CANCELLED:
        return CANCELLED
    if appointment.ends_at <= now or appointment.status in (
        AppointmentStatus.CAME,
        AppointmentStatus.ABSENT,
    ):
        return PAST
    if appointment.status == AppointmentStatus.EXCUSED:
        return CANCELLED
    return MOVED if appointment.moved_at is not None else UPCOMING


def _file_language(appointment: Any) -> str | None:
    """The language of the person's file (`language_for_person`), None when it notes none."""
    languages = getattr(appointment, "person_languages", None)
    return language_for_person(languages) if languages else None


@person_facing
@access(PUBLIC)
@require_safe
@never_cache  # a cancelled or moved appointment must never show its old state from a cache
def appointment_page(request: HttpRequest, token: Any) -> HttpResponse:
    appointment = selectors.get_public_appointment_or_404(token)
    language = use_visitor_language(request, _file_language(appointment))
    place = appointment.reception_point
    state = appointment_state(appointment, timezone.now())
    ics_url = reverse("support:appointment_public_ics", kwargs={"token": token})
    response = render(
        request,
        "support/public/appointment.html",
        {
            "state": state,
            "is_valid": state in (UPCOMING, MOVED),
            "starts_at": appointment.starts_at,
            "ends_at": appointment.ends_at,
            "room": appointment.room,
            "what_to_bring": appointment.what_to_bring,
            "place": place,
            "map_url": map_url(place),
            "ics_url": f"{ics_url}?{LANGUAGE_PARAM}={language}",
        },
    )
    response["X-Robots-Tag"] = "noindex"  # a person's own page: never in a search engine
    return response


@access(PUBLIC)
@require_safe
def appointment_public_ics(request: HttpRequest, token: Any) -> HttpResponse:
    """The person's calendar file (their page's button, or an older SMS), in the language asked
    (`?lang=`, the page's), else their file's. A cancelled appointment has none."""
    appointment = selectors.get_appointment_by_token_or_404(token)
    language = supported_language(request.GET.get(LANGUAGE_PARAM)) or _file_language(appointment)
    response = HttpResponse(
        ics.appointment_ics(appointment, language=language), content_type="text/calendar"
    )
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response
