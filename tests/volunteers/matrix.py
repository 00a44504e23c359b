"""Access matrix rows for the volunteers' pages."""

from datetime import timedelta

from django.utils import timezone

from tests.matrix import ADMIN, REFERENTS, SITE_A_STAFF, SITE_B_STAFF, expect

from .factories import (
    make_absence,
    make_broadcast,
    make_candidate,
    make_hours,
    make_profile,
    make_registration,
    make_slot,
    make_training,
)

VOLUNTEER = {"volunteer_a"}
MANAGER = {"manager_a"}
SITE_STAFF = SITE_A_STAFF | SITE_B_STAFF
TRAINERS = ADMIN | SITE_STAFF
TRAINING_READERS = TRAINERS | {"lead_referent"}


def slot_of_volunteer_a(world):
    profile = make_profile(world.users["volunteer_a"])
    return {"pk": make_slot(profile, world.site_a).pk}


def absence_of_volunteer_a(world):
    profile = make_profile(world.users["volunteer_a"])
    today = timezone.localdate()
    return {"pk": make_absence(profile, today, today + timedelta(days=3)).pk}


def volunteer_a(world):
    make_profile(world.users["volunteer_a"])
    return {"pk": world.users["volunteer_a"].pk}


def hours_of_volunteer_a(world):
    return {"pk": make_hours(world.users["volunteer_a"], world.site_a).pk}


def candidate_of_site_a(world):
    return {"pk": make_candidate(world.site_a).pk}


def site_a(world):
    return {"site": world.site_a.pk}


def training(world):
    return {"pk": make_training().pk}


def attended_registration(world):
    past = make_training(starts_at=timezone.now() - timedelta(days=3))
    registration = make_registration(past, world.structure_a, attended=True)
    return {"pk": past.pk, "registration": registration.pk}


def broadcast_of_site_a(world):
    return {"pk": make_broadcast(world.site_a, [world.users["volunteer_a"]]).pk}


ROWS = [
    ("volunteers:my_profile", None, "get", expect(VOLUNTEER)),
    ("volunteers:my_profile_edit", None, "get", expect(VOLUNTEER)),
    ("volunteers:my_status", None, "post", expect(VOLUNTEER, ok_code=302)),
    ("volunteers:my_availability", None, "get", expect(VOLUNTEER)),
    # An empty form: refused with its errors, nothing saved.
    ("volunteers:slot_add", None, "post", expect(VOLUNTEER, ok_code=400)),
    ("volunteers:slot_delete", slot_of_volunteer_a, "post", expect(VOLUNTEER, ok_code=302)),
    ("volunteers:absence_add", None, "post", expect(VOLUNTEER, ok_code=400)),
    ("volunteers:absence_delete", absence_of_volunteer_a, "post", expect(VOLUNTEER, ok_code=302)),
    ("volunteers:volunteer_list", None, "get", expect(MANAGER)),
    ("volunteers:volunteer_detail", volunteer_a, "get", expect(MANAGER)),
    ("volunteers:week", None, "get", expect(SITE_STAFF)),
    ("volunteers:my_hours", None, "get", expect(VOLUNTEER)),
    ("volunteers:hours_review", None, "get", expect(MANAGER)),
    ("volunteers:hours_decide", hours_of_volunteer_a, "post", expect(MANAGER, ok_code=302)),
    ("volunteers:hours_summary", None, "get", expect(ADMIN | MANAGER)),
    ("volunteers:valuation_csv", None, "get", expect(ADMIN | MANAGER)),
    ("volunteers:valuation_pdf", None, "get", expect(ADMIN | MANAGER)),
    ("volunteers:apply_sites", None, "get", expect("all")),
    ("volunteers:apply", site_a, "get", expect("all")),
    ("volunteers:candidate_list", None, "get", expect(MANAGER)),
    ("volunteers:candidate_detail", candidate_of_site_a, "get", expect(MANAGER)),
    # Not yet welcomed: the manager is told so and sent back to the candidate.
    ("volunteers:candidate_invite", candidate_of_site_a, "post", expect(MANAGER, ok_code=302)),
    ("volunteers:training_list", None, "get", expect(TRAINING_READERS)),
    ("volunteers:training_create", None, "get", expect(TRAINERS)),
    ("volunteers:training_report", None, "get", expect(TRAINING_READERS)),
    ("volunteers:training_detail", training, "get", expect(TRAINING_READERS)),
    ("volunteers:training_register", training, "post", expect(TRAINING_READERS, ok_code=400)),
    # Before it starts: "les présences se notent une fois la formation commencée".
    ("volunteers:training_attendance", training, "post", expect(TRAINERS, ok_code=302)),
    (
        "volunteers:training_attestation",
        attended_registration,
        "get",
        expect(TRAINING_READERS),
    ),
    ("volunteers:broadcast_list", None, "get", expect(MANAGER)),
    ("volunteers:broadcast_detail", broadcast_of_site_a, "get", expect(MANAGER)),
    ("volunteers:my_messages", None, "get", expect(VOLUNTEER)),
    ("volunteers:broadcast_answer", broadcast_of_site_a, "post", expect(VOLUNTEER, ok_code=302)),
]

assert REFERENTS  # the lead référent alone registers to trainings (TRAINING_READERS)
