"""Access-matrix rows for support's pages, and the builders they share."""

from typing import Any

from django.utils import timezone

from solidarnum.support.models import WaitingEntry
from tests.matrix import REFERENTS, SITE_A_STAFF, SITE_B_STAFF, SITE_TEAMS, expect
from tests.support.factories import at, make_appointment, make_pattern, make_person, next_weekday

STAFF = SITE_A_STAFF | SITE_B_STAFF


def pattern_a(world: Any) -> dict[str, int]:
    return {"pk": make_pattern(world, room="Salle matrice").pk}


def free_slot_a(world: Any) -> dict[str, Any]:
    pattern = make_pattern(world, room="Salle matrice", weekday=2)
    return {"pk": pattern.pk, "moment": f"{next_weekday(2):%Y-%m-%d}T14:00"}


def person_a(world: Any) -> dict[str, Any]:
    return {"public_id": make_person(world, referent=world.users["referent"]).public_id}


def appointment_a(world: Any) -> dict[str, int]:
    person = make_person(world, referent=world.users["referent"])
    moment = at(timezone.localdate() - timezone.timedelta(days=1), 10)
    return {"pk": make_appointment(world, person=person, starts_at=moment).pk}


def public_ics(world: Any) -> dict[str, Any]:
    person = make_person(world)
    return {"token": make_appointment(world, person=person).public_token}


def waiting_a(world: Any) -> dict[str, int]:
    entry = WaitingEntry.objects.create(
        reception_point=world.site_a, beneficiary=make_person(world)
    )
    return {"pk": entry.pk}


# Who may read an appointment of site A with volunteer_a for a person the référent referred.
APPOINTMENT_READERS = SITE_A_STAFF | {"volunteer_a", "referent"}

ROWS = [
    ("support:agenda", None, "get", expect(STAFF)),
    ("support:my_sessions", None, "get", expect(SITE_TEAMS)),
    ("support:slot_list", None, "get", expect(STAFF)),
    # An empty form: the page again with its French message, nothing saved.
    ("support:slot_list", None, "post", expect(STAFF, ok_code=400)),
    ("support:slot_exception", pattern_a, "post", expect(SITE_A_STAFF, ok_code=302, staff_b=404)),
    ("support:slot_book", free_slot_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    ("support:slot_book", free_slot_a, "post", expect(SITE_A_STAFF, ok_code=400, staff_b=404)),
    ("support:referent_booking_setting", None, "post", expect({"manager_a"}, ok_code=302)),
    ("support:person_suggestions", None, "get", expect(STAFF)),
    # A référent books only where the site allows it (not site A by default).
    (
        "support:person_book",
        person_a,
        "get",
        expect(SITE_A_STAFF, staff_b=404, referent=404, lead_referent=404),
    ),
    ("support:person_wait", person_a, "post", expect(SITE_A_STAFF, ok_code=302, staff_b=404)),
    (
        "support:appointment_detail",
        appointment_a,
        "get",
        expect(APPOINTMENT_READERS, staff_b=404, lead_referent=404),
    ),
    (
        "support:appointment_ics",
        appointment_a,
        "get",
        expect(APPOINTMENT_READERS, staff_b=404, lead_referent=404),
    ),
    (
        "support:appointment_status",
        appointment_a,
        "post",
        expect(SITE_A_STAFF | {"volunteer_a"}, ok_code=302, staff_b=404),
    ),
    # The référent reaches it and is told they cannot cancel what the team booked.
    (
        "support:appointment_cancel",
        appointment_a,
        "post",
        expect(SITE_A_STAFF | {"referent"}, ok_code=302, staff_b=404, lead_referent=404),
    ),
    ("support:appointment_public_ics", public_ics, "get", expect("all")),
    ("support:waiting_list", None, "get", expect(STAFF)),
    ("support:waiting_remove", waiting_a, "post", expect(SITE_A_STAFF, ok_code=302, staff_b=404)),
    ("support:referent_bookings", None, "get", expect(REFERENTS)),
]

ROWS += [
    (
        "support:appointment_record",
        appointment_a,
        "get",
        expect(SITE_A_STAFF | {"volunteer_a"}, staff_b=404),
    ),
    # An empty record: the form again with its French messages, nothing saved.
    (
        "support:appointment_record",
        appointment_a,
        "post",
        expect(SITE_A_STAFF | {"volunteer_a"}, ok_code=400, staff_b=404),
    ),
    ("support:record_list", None, "get", expect(SITE_TEAMS)),
    ("support:place_suggestions", None, "get", expect(SITE_TEAMS)),
    ("support:structure_suggestions", None, "get", expect(SITE_TEAMS)),
]
