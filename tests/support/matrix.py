"""Access-matrix rows for support's pages, and the builders they share."""

from typing import Any

from django.utils import timezone

from solidarnum.support.models import (
    CourseModule,
    SurveyAnswer,
    TemplateSession,
    WaitingEntry,
    WorkshopRegistration,
)
from tests.matrix import (
    ADMIN,
    REFERENTS,
    SITE_A_STAFF,
    SITE_A_TEAM,
    SITE_B_STAFF,
    SITE_TEAMS,
    expect,
)
from tests.support.factories import (
    at,
    enrol,
    make_appointment,
    make_cohort,
    make_pattern,
    make_person,
    make_template,
    make_workshop,
    next_weekday,
)

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
    # Moving is the site staff's: the page with its slots, and an empty form answers 400.
    ("support:appointment_move", appointment_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    (
        "support:appointment_move",
        appointment_a,
        "post",
        expect(SITE_A_STAFF, ok_code=400, staff_b=404),
    ),
    # The référent reaches it and is told they cannot cancel what the team booked.
    (
        "support:appointment_cancel",
        appointment_a,
        "post",
        expect(SITE_A_STAFF | {"referent"}, ok_code=302, staff_b=404, lead_referent=404),
    ),
    # The person's own page and calendar file: anyone with the link, signed in or not.
    ("support:appointment_public", public_ics, "get", expect("all")),
    ("support:appointment_public_ics", public_ics, "get", expect("all")),
    # Sending the link again is the site staff's (a past one is refused with a message).
    (
        "support:appointment_resend",
        appointment_a,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
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


def workshop_a(world: Any) -> dict[str, int]:
    return {"pk": make_workshop(world).pk}


def past_workshop_a(world: Any) -> dict[str, int]:
    moment = at(timezone.localdate() - timezone.timedelta(days=1), 10)
    return {"pk": make_workshop(world, starts_at=moment, animators=("volunteer_a",)).pk}


def registration_a(world: Any) -> dict[str, int]:
    registration = WorkshopRegistration.objects.create(
        workshop=make_workshop(world), beneficiary=make_person(world)
    )
    return {"pk": registration.pk}


ROWS += [
    ("support:workshop_list", None, "get", expect(SITE_TEAMS)),
    # An empty form: 400 for staff, nothing created; volunteers do not create workshops.
    ("support:workshop_list", None, "post", expect(STAFF, ok_code=400, volunteer_a=403)),
    ("support:workshop_detail", workshop_a, "get", expect(SITE_A_TEAM, staff_b=404)),
    # Nobody chosen: the page again with the French message.
    (
        "support:workshop_register",
        workshop_a,
        "post",
        expect(SITE_A_STAFF, ok_code=400, staff_b=404),
    ),
    (
        "support:workshop_attendance",
        past_workshop_a,
        "post",
        expect(SITE_A_TEAM, ok_code=302, staff_b=404),
    ),
    ("support:workshop_record", past_workshop_a, "get", expect(SITE_A_TEAM, staff_b=404)),
    (
        "support:registration_cancel",
        registration_a,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
    # Cancelling the whole workshop: the site staff's (volunteers animate, they do not cancel).
    ("support:workshop_cancel", workshop_a, "post", expect(SITE_A_STAFF, ok_code=302, staff_b=404)),
]


def cohort_a(world: Any) -> dict[str, int]:
    return {"pk": make_cohort(world).pk}


def cohort_session_a(world: Any) -> dict[str, int]:
    return {"pk": make_cohort(world).sessions.order_by("starts_at").first().pk}


def enrolment_a(world: Any) -> dict[str, int]:
    return {"pk": enrol(make_cohort(world), make_person(world)).pk}


ROWS += [
    ("support:cohort_list", None, "get", expect(SITE_TEAMS)),
    ("support:cohort_list", None, "post", expect(STAFF, ok_code=400, volunteer_a=403)),
    ("support:cohort_detail", cohort_a, "get", expect(SITE_A_TEAM, staff_b=404)),
    ("support:cohort_enrol", cohort_a, "post", expect(SITE_A_STAFF, ok_code=400, staff_b=404)),
    # The cohort's animator is staff_a: the volunteer sees the sheet and is refused its saving.
    ("support:cohort_session", cohort_session_a, "get", expect(SITE_A_TEAM, staff_b=404)),
    (
        "support:cohort_session",
        cohort_session_a,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404, volunteer_a=400),
    ),
    ("support:enrolment_attestation", enrolment_a, "get", expect(SITE_A_STAFF, staff_b=404)),
]


def survey_a(world: Any) -> dict[str, Any]:
    return {
        "token": SurveyAnswer.objects.create(kind="one_to_one", reception_point=world.site_a).token
    }


def came_appointment_a(world: Any) -> dict[str, Any]:
    moment = at(timezone.localdate() - timezone.timedelta(days=1), 10)
    appointment = make_appointment(world, starts_at=moment, status="came")
    return {"kind": "permanence", "pk": appointment.pk}


ROWS += [
    # The person's survey: no login, in their language.
    ("support:survey", survey_a, "get", expect("all")),
    # Nothing chosen: the page again with the French message, nothing saved.
    ("support:survey", survey_a, "post", expect("all", ok_code=400)),
    (
        "support:survey_start",
        came_appointment_a,
        "post",
        expect(SITE_A_TEAM, ok_code=302, staff_b=404),
    ),
    ("support:satisfaction_rates", None, "get", expect(ADMIN | STAFF)),
]


def course_template(world: Any) -> dict[str, int]:
    return {"pk": make_template("Modèle matrice", sessions=2).pk}


def course_module(world: Any) -> dict[str, int]:
    template = make_template("Modèle matrice", sessions=2)
    return {"pk": CourseModule.objects.get(template=template).pk}


def empty_course_module(world: Any) -> dict[str, int]:
    """A second module with no half-day: removing it deletes it."""
    template = make_template("Modèle matrice", sessions=2)
    return {"pk": CourseModule.objects.create(template=template, order=2, title="Vide").pk}


def template_session(world: Any) -> dict[str, int]:
    template = make_template("Modèle matrice", sessions=2)
    return {"pk": TemplateSession.objects.filter(module__template=template).first().pk}


# The catalogue (ADR 0042): read by the national team and the site staff, edited by the
# national team; an empty form answers 400, nothing saved.
CATALOGUE_READERS = ADMIN | STAFF

ROWS += [
    ("support:course_template_list", None, "get", expect(CATALOGUE_READERS)),
    ("support:course_template_detail", course_template, "get", expect(CATALOGUE_READERS)),
    ("support:course_template_create", None, "get", expect(ADMIN)),
    ("support:course_template_create", None, "post", expect(ADMIN, ok_code=400)),
    ("support:course_template_update", course_template, "get", expect(ADMIN)),
    ("support:course_template_update", course_template, "post", expect(ADMIN, ok_code=400)),
    ("support:course_module_create", course_template, "get", expect(ADMIN)),
    ("support:course_module_create", course_template, "post", expect(ADMIN, ok_code=400)),
    ("support:course_module_update", course_module, "get", expect(ADMIN)),
    ("support:course_module_update", course_module, "post", expect(ADMIN, ok_code=400)),
    ("support:course_module_move", course_module, "post", expect(ADMIN, ok_code=302)),
    ("support:course_module_remove", empty_course_module, "post", expect(ADMIN, ok_code=302)),
    ("support:template_session_create", course_module, "get", expect(ADMIN)),
    ("support:template_session_create", course_module, "post", expect(ADMIN, ok_code=400)),
    ("support:template_session_update", template_session, "get", expect(ADMIN)),
    ("support:template_session_update", template_session, "post", expect(ADMIN, ok_code=400)),
    ("support:template_session_remove", template_session, "post", expect(ADMIN, ok_code=302)),
]
